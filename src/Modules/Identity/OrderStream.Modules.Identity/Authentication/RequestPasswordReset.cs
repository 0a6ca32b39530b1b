using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// "Forgot your password?" by login code or e-mail: a link to set it goes to the user's address when they may log in
/// and the limits allow; the answer is the same either way, so nobody learns from it whether an account exists.
/// </summary>
internal static class RequestPasswordReset
{
    public sealed record Command(string LoginCodeOrEmail) : ICommand<Response>;

    public sealed record Response(string Detail);

    public static readonly Response Answer = new(
        "If an account with that login code or e-mail address may log in, a link to set its password is on its way to "
            + "its e-mail address. It is good for an hour."
    );

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.LoginCodeOrEmail).NotEmpty().MaximumLength(254);
    }

    internal sealed class Handler(IDocumentSession session, TenantContext tenant, TimeProvider clock)
        : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command c, CancellationToken ct)
        {
            var key = c.LoginCodeOrEmail.Trim().ToLowerInvariant();
            var user = await session.Query<User>().FirstOrDefaultAsync(u => u.LoginKey == key || u.EmailKey == key, ct);
            var now = clock.GetUtcNow();
            // The same reads whether or not there is such a user, so the time taken tells as little as the answer.
            var over = await PasswordReset.OverLimitAsync(session, user?.Id ?? Guid.Empty, user?.Email ?? key, now, ct);
            if (user is { IsActive: true, AllowLogin: true, Email: not null } && over is null)
                PasswordReset.Queue(session, tenant.Tenant, user, now);
            return Answer;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/auth/password-reset",
                    async (Command command, IMediator mediator, CancellationToken ct) =>
                        Results.Accepted(value: await mediator.Send(command, ct))
                )
                .WithTags("Authentication")
                .WithName("RequestPasswordReset")
                .WithSummary("Ask for a link to set one's password")
                .WithDescription(
                    "By login code or e-mail address. Always 202 with the same words: whether the account exists is "
                        + "not told. The link (good for an hour, once) goes to the user's e-mail address if they may "
                        + "log in; one a minute and five an hour per account, ten an hour per address."
                )
                .AllowAnonymous()
                .RequireRateLimiting("login")
                .Produces<Response>(StatusCodes.Status202Accepted);
    }
}
