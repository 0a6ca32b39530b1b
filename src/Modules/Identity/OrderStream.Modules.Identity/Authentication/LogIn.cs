using OrderStream.BuildingBlocks.Security;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Contracts;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// Web office login: a JWT for one tenant. From the fifth failure in a row the login code is locked, longer each time
/// (ADR 0021), audited. Where the tenant enforces licenses, a confirmed one is needed (asked of Billing through its
/// contract).
/// </summary>
internal static class LogIn
{
    public sealed record Command(string LoginCode, string Password) : ICommand<Response>;

    public sealed record Response(string Token, DateTimeOffset ExpiresAt, string UserId);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.LoginCode).NotEmpty().MaximumLength(64);
            RuleFor(c => c.Password).NotEmpty().MaximumLength(128);
        }
    }

    internal sealed class Handler(
        IDocumentSession session,
        CredentialHasher hasher,
        TokenIssuer tokens,
        TenantContext tenant,
        IMediator mediator,
        ActorContext actor,
        TimeProvider clock
    ) : IRequestHandler<Command, Response>
    {
        private const string Channel = Channels.WebOffice;
        private const string WrongCredentials = "The login code or the password is wrong.";

        public async Task<Response> Handle(Command c, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var address = actor.ClientAddress;
            var (user, guard) = await LoginGuard.VerifyAsync(
                session,
                hasher,
                c.LoginCode,
                c.Password,
                x => x?.PasswordHash,
                now,
                Channel,
                address,
                WrongCredentials,
                ct
            );
            // Licenses (Billing's, seed 002): System Administrators are exempt, so enforcing them never locks the
            // tenant out.
            if (
                !user.IsSystemAdministrator
                && await mediator.Send(new CheckWebOfficeLicense(user.Id), ct) is { Allowed: false } license
            )
                await LoginGuard.RefuseAsync(session, guard, user.Id, now, Channel, address, license.Refusal!, ct);
            guard.AppendOne(new LoginSucceeded(user.Id, now, Channel, address));
            var (token, expires) = tokens.Issue(
                user.Id,
                tenant.Tenant,
                user.EmployeeName(),
                Channels.WebOffice,
                user.TokenGeneration
            );
            return new Response(token, expires, user.Id.ToString());
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/auth/login",
                    (Command command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct)
                )
                .WithTags("Authentication")
                .WithName("LogIn")
                .WithSummary("Log in to the web office")
                .WithDescription(
                    "Answers a web office bearer token for a login code and password. Wrong credentials, "
                        + "an inactive user, a user without login permission or without a license are all refused "
                        + "alike "
                        + "(401). Repeated failures lock the login for a while; too many attempts from one address "
                        + "answer 429."
                )
                .AllowAnonymous()
                .RequireRateLimiting("login")
                .Produces<Response>()
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }
}
