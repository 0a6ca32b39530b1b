using OrderStream.BuildingBlocks.Security;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// A user changes their own password, old and new (seed 001's employee form): the new one by the password rules, and
/// every other session of theirs ends at once; the caller's goes on with the fresh token answered (and cookie set).
/// </summary>
internal static class ChangeOwnPassword
{
    public sealed record Command(string CurrentPassword, string NewPassword) : ICommand<LogIn.Response>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.CurrentPassword).NotEmpty().MaximumLength(PasswordRules.MaxLength);
            RuleFor(c => c.NewPassword).NotEmpty().MaximumLength(PasswordRules.MaxLength);
        }
    }

    internal sealed class Handler(
        IDocumentSession session,
        CredentialHasher hasher,
        TokenIssuer tokens,
        TenantContext tenant,
        ActorContext actor,
        TimeProvider clock
    ) : IRequestHandler<Command, LogIn.Response>
    {
        public async Task<LogIn.Response> Handle(Command c, CancellationToken ct)
        {
            var (stream, user) = await session.FetchForUpdateAsync<User>(actor.RequireUser().UserId, null, "user", ct);
            var credentials = await session.LoadAsync<UserCredentials>(user.Id, ct) ?? new() { Id = user.Id };
            if (!hasher.Verify(c.CurrentPassword, credentials.PasswordHash))
                throw new FieldRuleException("currentPassword", "The current password is wrong.");
            if (PasswordRules.WhyWeak(c.NewPassword, user.LoginCode, user.FirstName, user.LastName) is { } why)
                throw new FieldRuleException("newPassword", why);
            if (c.NewPassword == c.CurrentPassword)
                throw new FieldRuleException("newPassword", "The new password must differ from the current one.");
            var now = clock.GetUtcNow();
            credentials.PasswordHash = hasher.Hash(c.NewPassword);
            session.Store(credentials);
            stream.AppendOne(new PasswordChanged(user.Id, now));
            stream.AppendOne(new SessionsEnded(user.Id, now, "password changed by the user"));
            var (token, expires) = tokens.Issue(
                user.Id,
                tenant.Tenant,
                user.EmployeeName(),
                Channels.WebOffice,
                user.TokenGeneration + 1
            );
            return new LogIn.Response(token, expires, user.Id.ToString());
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/me/password",
                    async (Command command, IMediator mediator, HttpContext http, SessionCookie cookie) =>
                    {
                        var login = await mediator.Send(command, http.RequestAborted);
                        // The console's session goes on in a cookie of the new generation.
                        if (http.Request.Cookies.ContainsKey(SessionCookie.Name))
                            cookie.Append(http.Response, login.Token, login.ExpiresAt);
                        return login;
                    }
                )
                .WithTags("Authentication")
                .WithName("ChangeOwnPassword")
                .WithSummary("Change one's own password")
                .WithDescription(
                    "The current password and a new one: at least 10 characters, holding neither the login code "
                        + "nor the name, and not among the common passwords shipped with the service. Every other "
                        + "session and token of the user ends at once; the answer is a fresh token for this one. "
                        + "Audited."
                )
                .RequireAuthorization()
                .RequireRateLimiting("login")
                .Produces<LogIn.Response>();
    }
}
