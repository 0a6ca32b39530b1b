using OrderStream.BuildingBlocks.Security;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>Web office login: a JWT for one tenant. Five consecutive failures lock the login for 15 minutes, audited.</summary>
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

    internal sealed class Handler(IDocumentSession session, CredentialHasher hasher, TokenIssuer tokens, TenantContext tenant,
        TimeProvider clock) : IRequestHandler<Command, Response>
    {
        private const string Channel = "web-office";
        private const string WrongCredentials = "The login code or the password is wrong.";

        public async Task<Response> Handle(Command c, CancellationToken ct)
        {
            var key = c.LoginCode.Trim().ToLowerInvariant();
            var user = await session.Query<User>().FirstOrDefaultAsync(u => u.LoginKey == key, ct);
            if (user is null)
            {
                hasher.Verify(c.Password, null);
                throw new UnauthorizedException(WrongCredentials);
            }
            var now = clock.GetUtcNow();
            var guardId = LoginGuard.StreamId(user.Id);
            var guard = await session.Events.FetchForWriting<LoginGuard>(guardId, ct);
            if (guard.Aggregate?.LockedUntil is { } until && until > now)
                throw new TooManyRequestsException($"Too many failed logins. Try again after {until:u}.", until - now);

            var credentials = await session.LoadAsync<UserCredentials>(user.Id, ct);
            if (!hasher.Verify(c.Password, credentials?.PasswordHash))
            {
                var failures = (guard.Aggregate?.ConsecutiveFailures ?? 0) + 1;
                guard.AppendOne(new LoginFailed(user.Id, now, Channel, failures));
                if (failures >= LoginGuard.MaxFailures)
                {
                    guard.AppendOne(new LoginLockedOut(user.Id, now, Channel, now + LoginGuard.LockDuration));
                    await session.SaveChangesAsync(ct);
                    throw new TooManyRequestsException("Too many failed logins: this login is locked for 15 minutes.", LoginGuard.LockDuration);
                }
                await session.SaveChangesAsync(ct);
                throw new UnauthorizedException(WrongCredentials);
            }

            // The password was right, so the caller may learn why they still cannot log in.
            var refusal = !user.IsActive ? "This user is inactive." : !user.AllowLogin ? "This user is not allowed to log in." : null;
            if (refusal is not null)
            {
                guard.AppendOne(new LoginRefused(user.Id, now, Channel, refusal));
                await session.SaveChangesAsync(ct);
                throw new ForbiddenException(refusal);
            }
            guard.AppendOne(new LoginSucceeded(user.Id, now, Channel));
            var (token, expires) = tokens.Issue(user.Id, tenant.Tenant, user.EmployeeName());
            return new Response(token, expires, user.Id.ToString());
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost("/api/tenants/{tenant}/auth/login", (Command command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct))
                .WithTags("Authentication").WithName("LogIn").AllowAnonymous().RequireRateLimiting("login")
                .Produces<Response>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
    }
}
