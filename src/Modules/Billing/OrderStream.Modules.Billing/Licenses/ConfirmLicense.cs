using OrderStream.BuildingBlocks.Mail;
using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>
/// The mail's link: whoever holds the one-time token confirms the license, logged in or not (the token is the proof).
/// Tokens last 48 hours, are single-use, and a resent one replaces the older.
/// </summary>
internal static class ConfirmLicense
{
    public sealed record Command(string? Token) : ICommand<Unit>;

    public sealed record Response(bool Confirmed);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Token).NotEmpty().MaximumLength(200);
    }

    internal sealed class Handler(IDocumentSession session, TenantContext tenant, TimeProvider clock)
        : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var stream = await LicensePool.OpenAsync(session, tenant.Tenant, ct);
            var hash = OneTimeTokens.Hash(c.Token!.Trim());
            var license = (stream.Aggregate ?? new LicensePool()).Licenses.FirstOrDefault(l =>
                l.TokenHash == hash && l.Status == LicenseStatus.Linked
            )
                ?? throw new FieldRuleException(
                    "token",
                    "This confirmation link is not valid: it was used already, replaced by a newer one, or mistyped."
                );
            var now = clock.GetUtcNow();
            if (license.TokenExpiresAt <= now)
                throw new FieldRuleException(
                    "token",
                    "This confirmation link has expired (links last 48 hours): ask your administrator to send a new "
                        + "one."
                );
            stream.AppendOne(new LicenseConfirmed(license.Id, license.UserId!.Value, now));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/licenses/confirm",
                    async (Command command, IMediator m, CancellationToken ct) =>
                    {
                        await m.Send(command, ct);
                        return new Response(true);
                    }
                )
                .WithTags("Licenses")
                .WithName("ConfirmLicense")
                .WithSummary("Confirm a license")
                .WithDescription(
                    "Confirms a license with the code from its confirmation mail. Needs no token: the "
                        + "code is the proof."
                )
                .Produces<Response>()
                .AllowAnonymous()
                .RequireRateLimiting("login");
    }
}
