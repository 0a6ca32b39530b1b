using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>
/// Sends a license awaiting confirmation a new mail; its fresh token replaces the older one. At most one a minute and
/// five an hour per license, ten an hour per address (429 saying when).
/// </summary>
internal static class ResendLicenseConfirmation
{
    public sealed record Command(Guid LicenseId) : ICommand<Unit>;

    internal sealed class Handler(IDocumentSession session, TenantContext tenant, TimeProvider clock)
        : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var stream = await LicensePool.OpenAsync(session, tenant.Tenant, ct);
            var license = (stream.Aggregate ?? new LicensePool()).Find(c.LicenseId);
            if (license.Status != LicenseStatus.Linked)
                throw new ConflictException("Only a license awaiting confirmation gets a new confirmation mail.");
            var now = clock.GetUtcNow();
            await LicenseMail.RequireWithinLimitsAsync(
                session,
                license.Id,
                license.UserId!.Value,
                license.Email!,
                now,
                ct
            );
            LicenseMail.Queue(session, tenant.Tenant, license.Id, license.UserId.Value, license.Email!, now);
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/licenses/{id:guid}/resend",
                    async (Guid id, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id), ct);
                        return await GetLicenses.AnswerAsync(m, h, ct);
                    }
                )
                .WithTags("Licenses")
                .WithName("ResendLicenseConfirmation")
                .WithSummary("Resend a license confirmation")
                .WithDescription(
                    "Sends the confirmation mail again; a resent link replaces a recent one. Mails per "
                        + "license and address are limited (429 with `Retry-After`)."
                )
                .AnswersWithETag()
                .Produces<GetLicenses.Overview>()
                .ProducesProblem(StatusCodes.Status429TooManyRequests)
                .RequireFeature(BillingModule.ManageBilling);
    }
}
