using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// Only a System Administrator sets or clears the flag; the tenant's last active one keeps it (seed 001, PRODUCT.md).
/// </summary>
internal static class SetSystemAdministrator
{
    public sealed record Body(bool? Value);

    public sealed record Command(Guid Id, bool Value, long? ExpectedVersion) : ICommand<Unit>;

    internal sealed class Handler(IDocumentSession session, ActorContext actor, IMediator mediator, TimeProvider clock)
        : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var caller = await session.LoadAsync<User>(actor.RequireUser().UserId, ct);
            if (caller is not { IsActiveSystemAdministrator: true })
                throw new ForbiddenException(
                    "Only a System Administrator can set or clear the System Administrator flag."
                );
            var (stream, user) = await session.FetchForUpdateAsync<User>(c.Id, c.ExpectedVersion, "user", ct);
            await mediator.Send(new RequireMayChangeUser(user.Id, "System Administrator flag"), ct);
            if (user.IsSystemAdministrator == c.Value)
                return Unit.Value;
            if (!c.Value && user.IsActive && await SystemAdministrators.IsLastActiveAsync(session, user.Id, ct))
                throw new ConflictException(
                    $"{user.EmployeeName()} is the last active System Administrator of this tenant and keeps the flag.",
                    "isSystemAdministrator"
                );
            stream.AppendOne(new SystemAdministratorFlagChanged(user.Id, clock.GetUtcNow(), c.Value));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/users/{id:guid}/system-administrator",
                    async (
                        Guid id,
                        Body body,
                        IMediator mediator,
                        HttpContext http,
                        IQuerySession session,
                        CancellationToken ct
                    ) =>
                    {
                        if (body.Value is not { } value)
                            throw new FieldRuleException("value", "value must be true or false.");
                        await mediator.Send(new Command(id, value, ETags.ExpectedVersion(http.Request)), ct);
                        return await UserResponse.CurrentAsync(http, session, id, ct);
                    }
                )
                .WithTags("Users")
                .WithName("SetSystemAdministrator")
                .Produces<UserResponse>()
                .WithSummary("Make a user System Administrator or not")
                .WithDescription(
                    "Only a System Administrator may do this; the last active System Administrator "
                        + "cannot be taken away (409). Audited."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
