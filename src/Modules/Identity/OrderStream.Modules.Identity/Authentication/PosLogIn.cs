using System.Security.Claims;
using OrderStream.BuildingBlocks.Security;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Users;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// POS login with a PIN at one sale point: a token scoped to it, carrying the role there and the default store. The
/// same lockout as the web login (the two share one count per user). The sale point's part is asked of Sale Points
/// (contract).
/// </summary>
internal static class PosLogIn
{
    public sealed record Command(Guid? SalePointId, string LoginCode, string Pin) : ICommand<Response>;

    public sealed record Response(
        string Token,
        DateTimeOffset ExpiresAt,
        string UserId,
        string SalePointId,
        string SalePointName,
        string? RoleId,
        string? RoleName,
        string? DefaultStoreId
    );

    public const string RoleClaim = "roleId",
        DefaultStoreClaim = "defaultStoreId";

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.SalePointId).NotEmpty();
            RuleFor(c => c.LoginCode).NotEmpty().MaximumLength(64);
            RuleFor(c => c.Pin).NotEmpty().MaximumLength(16);
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
        private const string Channel = Channels.Pos;
        private const string WrongCredentials = "The login code or the PIN is wrong.";

        public async Task<Response> Handle(Command c, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var address = actor.ClientAddress;
            var (user, guard) = await LoginGuard.VerifyAsync(
                session,
                hasher.Pins,
                c.LoginCode,
                c.Pin,
                x => x?.PinHash,
                now,
                Channel,
                address,
                WrongCredentials,
                ct
            );
            // The sale point's part, asked only once the PIN is right (so a guesser learns nothing of assignments).
            var pos = await mediator.Send(new GetPosAccess(user.Id, c.SalePointId!.Value), ct);
            if (!pos.SalePointExists)
                await LoginGuard.RefuseAsync(
                    session,
                    guard,
                    user.Id,
                    now,
                    Channel,
                    address,
                    pos.Refusal!,
                    ct,
                    new FieldRuleException("salePointId", pos.Refusal!)
                );
            if (pos.Refusal is not null)
                await LoginGuard.RefuseAsync(session, guard, user.Id, now, Channel, address, pos.Refusal, ct);

            guard.AppendOne(new LoginSucceeded(user.Id, now, Channel, address));
            var claims = new List<Claim> { new(CurrentUser.SalePointClaim, c.SalePointId.Value.ToString()) };
            if (pos.RoleId is { } role)
                claims.Add(new Claim(RoleClaim, role.ToString()));
            if (pos.DefaultStoreId is { } store)
                claims.Add(new Claim(DefaultStoreClaim, store.ToString()));
            var (token, expires) = tokens.Issue(
                user.Id,
                tenant.Tenant,
                user.EmployeeName(),
                Channel,
                user.TokenGeneration,
                claims
            );
            return new Response(
                token,
                expires,
                user.Id.ToString(),
                c.SalePointId.Value.ToString(),
                pos.SalePointName!,
                pos.RoleId?.ToString(),
                pos.RoleName,
                pos.DefaultStoreId?.ToString()
            );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/auth/pos-login",
                    (Command command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct)
                )
                .WithTags("Authentication")
                .WithName("PosLogIn")
                .WithSummary("Log in at a point of sale")
                .WithDescription(
                    "Answers a POS token for a login code and PIN at one sale point; it is good only for "
                        + "the POS endpoints. Wrong credentials are refused alike (401); with the right PIN, a sale "
                        + "point "
                        + "where the user may not work is refused (403) with the reason. Limited like the web office "
                        + "login (429)."
                )
                .AllowAnonymous()
                .RequireRateLimiting("login")
                .Produces<Response>()
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }
}
