using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.Roles.Roles;

namespace OrderStream.Modules.Roles.Grants;

/// <summary>
/// Gives a user a role tenant-wide, optionally time-boxed ("until Sunday"), or takes it away. Giving it is giving each of
/// its features: tier rules apply. Giving it again with another window changes the window.
/// </summary>
internal static class AssignRole
{
    public sealed record Body(DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

    public sealed record Command(Guid UserId, Guid RoleId, bool Assign, DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidUntil = null) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock) => Validity.Rules(this, c => c.ValidFrom, c => c.ValidUntil, clock);
    }

    internal sealed class Handler(IDocumentSession session, AccessEngine engine, TenantContext tenant, ActorContext actor, TimeProvider clock)
        : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            _ = await access.UserAsync(engine, c.UserId, ct) ?? throw new NotFoundException("User", c.UserId.ToString());
            var role = await session.LoadAsync<Role>(c.RoleId, ct);
            if (role is null || role.IsDeleted) throw new NotFoundException("Role", c.RoleId.ToString());
            var stream = await session.Events.FetchForWriting<UserAccess>(UserAccess.StreamId(c.UserId), ct);
            // Read only: Marten applies the appended events to this very object when it commits.
            var current = stream.Aggregate ?? UserAccess.Empty(c.UserId);
            var held = current.Role(role.Id);
            if (c.Assign && (held is null || (held.ValidFrom, held.ValidUntil) != (c.ValidFrom, c.ValidUntil)))
            {
                var granter = await access.GranterAsync(engine, actor.RequireUser().UserId, ct);
                access.RequireGivable(role, granter, await Settings.AccessSettings.GrantOnlyWhatYouHoldAsync(session, ct));
                stream.AppendOne(new RoleAssigned(c.UserId, role.Id, role.Name, c.ValidFrom, c.ValidUntil, clock.GetUtcNow(), actor.Actor,
                    held is not null, held?.ValidFrom, held?.ValidUntil));
            }
            else if (!c.Assign && held is not null)
            {
                stream.AppendOne(new RoleUnassigned(c.UserId, role.Id, role.Name, null));
            }
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            const string route = "/api/tenants/{tenant}/users/{id:guid}/roles/{roleId:guid}";
            app.MapPut(route, async (Guid id, Guid roleId, Body? body, IMediator mediator, IQuerySession session, CancellationToken ct) =>
                    await UserAccessResponse.AfterAsync(mediator.Send(new Command(id, roleId, true, body?.ValidFrom, body?.ValidUntil), ct), id, session, ct))
                .WithTags("User rights").WithName("AssignRole").RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
            app.MapDelete(route, async (Guid id, Guid roleId, IMediator mediator, IQuerySession session, CancellationToken ct) =>
                    await UserAccessResponse.AfterAsync(mediator.Send(new Command(id, roleId, false), ct), id, session, ct))
                .WithTags("User rights").WithName("UnassignRole").RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
        }
    }
}

internal sealed record UserAccessResponse(string UserId, IReadOnlyList<RoleAssignment> Roles, IReadOnlyList<Grant> Grants)
{
    /// <summary>The user's rights as committed by <paramref name="change"/>.</summary>
    public static async Task<UserAccessResponse> AfterAsync(Task<Unit> change, Guid userId, IQuerySession session, CancellationToken ct)
    {
        await change;
        var access = await session.LoadAsync<UserAccess>(UserAccess.StreamId(userId), ct) ?? UserAccess.Empty(userId);
        return new UserAccessResponse(userId.ToString(), access.Roles, access.Grants);
    }
}
