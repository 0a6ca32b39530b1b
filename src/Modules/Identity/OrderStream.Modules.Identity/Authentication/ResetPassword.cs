using OrderStream.BuildingBlocks.Mail;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// Sets a password with the link's token: good for an hour and once; the new password by the password rules; every
/// session and token of the user ends at once (ADR 0030).
/// </summary>
internal static class ResetPassword
{
    public sealed record Command(string Token, string NewPassword) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Token).NotEmpty().MaximumLength(100);
            RuleFor(c => c.NewPassword).NotEmpty().MaximumLength(PasswordRules.MaxLength);
        }
    }

    internal sealed class Handler(IDocumentSession session, CredentialHasher hasher, TimeProvider clock)
        : IRequestHandler<Command, Unit>
    {
        private const string NotValid =
            "This link is not valid: it was used, a newer one replaced it, or it is older than an hour. Ask for a new "
            + "one.";

        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var hash = OneTimeTokens.Hash(c.Token.Trim());
            var now = clock.GetUtcNow();
            var token = await session.Query<PasswordResetToken>().FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
            if (token is null || token.ExpiresAt <= now)
                throw new FieldRuleException("token", NotValid);
            // Read for update: two uses of one link at once, and the second finds the user changed (409), not reset.
            var (stream, user) = await session.FetchForUpdateAsync<User>(token.Id, null, "user", ct);
            if (!user.IsActive)
                throw new FieldRuleException("token", NotValid);
            if (PasswordRules.WhyWeak(c.NewPassword, user.LoginCode, user.FirstName, user.LastName) is { } why)
                throw new FieldRuleException("newPassword", why);
            var credentials = await session.LoadAsync<UserCredentials>(user.Id, ct) ?? new() { Id = user.Id };
            credentials.PasswordHash = hasher.Hash(c.NewPassword);
            session.Store(credentials);
            session.Delete(token);
            stream.AppendOne(new PasswordChanged(user.Id, now));
            stream.AppendOne(new SessionsEnded(user.Id, now, "password set by a reset link"));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/auth/password-reset/confirm",
                    async (Command command, IMediator mediator, CancellationToken ct) =>
                    {
                        await mediator.Send(command, ct);
                        return Results.NoContent();
                    }
                )
                .WithTags("Authentication")
                .WithName("ResetPassword")
                .WithSummary("Set one's password with a reset link")
                .WithDescription(
                    "The link's token and the new password (at least 10 characters, not the login code or the name, "
                        + "not among the common passwords). The token works once, for an hour; every session of the "
                        + "user ends. Audited."
                )
                .AllowAnonymous()
                .RequireRateLimiting("login")
                .Produces(StatusCodes.Status204NoContent);
    }
}
