using OrderStream.BuildingBlocks.Mail;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Users;
using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// "Resend password" on the employee form (seed 001): an administrator sends the user a link to set their password.
/// Only for a user they may change (the link lets its reader in as that user); to the user's own address; audited.
/// </summary>
internal static class SendPasswordReset
{
    public sealed record Command(Guid Id) : ICommand<Response>;

    public sealed record Response(string To);

    internal sealed class Handler(
        IDocumentSession session,
        IMediator mediator,
        TenantContext tenant,
        TimeProvider clock
    ) : IRequestHandler<Command, Response>
    {
        public async Task<Response> Handle(Command c, CancellationToken ct)
        {
            var (stream, user) = await session.FetchForUpdateAsync<User>(c.Id, null, "user", ct);
            await mediator.Send(new RequireMayChangeUser(user.Id, "password"), ct);
            if (!user.IsActive)
                throw new ConflictException($"{user.EmployeeName()} is inactive: reactivate them first.");
            if (user.Email is null)
                throw new ConflictException($"{user.EmployeeName()} has no e-mail address: give them one first.");
            var now = clock.GetUtcNow();
            if (await PasswordReset.OverLimitAsync(session, user.Id, user.Email, now, ct) is var (why, wait))
                throw MailLimits.Refusal(why, wait);
            PasswordReset.Queue(session, tenant.Tenant, user, now);
            stream.AppendOne(new PasswordResetLinkSent(user.Id, now, user.Email));
            return new Response(user.Email);
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/users/{id:guid}/password-reset",
                    async (Guid id, IMediator mediator, CancellationToken ct) =>
                        Results.Accepted(value: await mediator.Send(new Command(id), ct))
                )
                .WithTags("Users")
                .WithName("SendPasswordReset")
                .WithSummary("Send a user a link to set their password")
                .WithDescription(
                    "To the user's e-mail address, good for an hour and once; setting the password by it ends the "
                        + "user's sessions. One a minute and five an hour per user (429 says when). Audited."
                )
                .Produces<Response>(StatusCodes.Status202Accepted)
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
