using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.Roles.Grants;

namespace OrderStream.Modules.Roles.Roles;

/// <summary>
/// Deletes a role nobody holds; a held role is refused with its holders, or, with <c>?unassign=true</c>, taken from each
/// of them first (one audited event per user). The role's history stays.
/// </summary>
internal static class DeleteRole
{
    public sealed record Command(Guid Id, bool Unassign) : ICommand<Unit>;

    public sealed record Holder(string UserId, string Name);

    internal sealed class Handler(IDocumentSession session, AccessEngine engine, TenantContext tenant) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var (stream, role) = await session.FetchForUpdateAsync<Role>(c.Id, null, "role", ct);
            if (role.IsDeleted) throw new NotFoundException("Role", c.Id.ToString());
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var holders = access.HoldersOf(role.Id).ToList();
            if (holders.Count > 0 && !c.Unassign)
                throw new ConflictException($"Role '{role.Name}' is held by {holders.Count} user(s): take it from them first, or delete with ?unassign=true.")
                {
                    Extensions = new Dictionary<string, object?> { ["holders"] = holders.Select(h => new Holder(h.Facts.UserId.ToString(), h.Facts.Name)).ToList() },
                };
            foreach (var holder in holders)
                foreach (var assignment in holder.Access.Roles.Where(r => r.RoleId == role.Id))
                    session.Events.Append(UserAccess.StreamId(holder.Facts.UserId),
                        new RoleUnassigned(holder.Facts.UserId, role.Id, role.Name, assignment.SalePointId, $"Role '{role.Name}' was deleted."));
            stream.AppendOne(new RoleDeleted(role.Id, role.Name, holders.Select(h => h.Facts.UserId).ToList()));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapDelete("/api/tenants/{tenant}/roles/{id:guid}", async (Guid id, bool? unassign, IMediator mediator, CancellationToken ct) =>
                {
                    await mediator.Send(new Command(id, unassign ?? false), ct);
                    return Results.NoContent();
                })
                .WithTags("Roles").WithName("DeleteRole").RequireFeature(RolesModule.MaintainRoles);
    }
}
