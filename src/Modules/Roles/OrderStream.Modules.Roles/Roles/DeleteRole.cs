using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.Roles.Grants;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Roles.Roles;

/// <summary>
/// Deletes a role nobody holds; a held role is refused with its holders, or, with <c>?unassign=true</c>, taken from
/// each of them first (one audited event per user). A role held at sale points is refused even then: those assignments
/// are the Sale Points module's, and each needs a role there, so an administrator chooses the replacement. The role's
/// history stays.
/// </summary>
internal static class DeleteRole
{
    public sealed record Command(Guid Id, bool Unassign) : ICommand<Unit>;

    /// <summary>
    /// A holder; <c>SalePointIds</c>: where they hold it at a sale point (empty when only tenant-wide).
    /// </summary>
    public sealed record Holder(string UserId, string Name, IReadOnlyList<string> SalePointIds);

    internal sealed class Handler(
        IDocumentSession session,
        AccessEngine engine,
        TenantContext tenant,
        IMediator mediator
    ) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var (stream, role) = await session.FetchForUpdateAsync<Role>(c.Id, null, "role", ct);
            if (role.IsDeleted)
                throw new NotFoundException("Role", c.Id.ToString());
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var holders = access.HoldersOf(role.Id).ToList();
            // Sale Points' own records say who holds it at a sale point (the engine knows only users it was asked
            // about).
            var atSalePoints = (await mediator.Send(new GetUserLocations(null), ct))
                .Select(l =>
                    (
                        l.UserId,
                        SalePoints: l.SalePoints.Where(s => s.RoleId == role.Id)
                            .Select(s => s.SalePointId.ToString())
                            .ToList()
                    )
                )
                .Where(l => l.SalePoints.Count > 0)
                .ToDictionary(l => l.UserId, l => l.SalePoints);
            if (holders.Count + atSalePoints.Count > 0 && (!c.Unassign || atSalePoints.Count > 0))
            {
                var named = new List<Holder>();
                foreach (var id in holders.Select(h => h.Facts.UserId).Union(atSalePoints.Keys))
                    named.Add(
                        new Holder(
                            id.ToString(),
                            (await access.UserAsync(engine, id, ct))?.Facts.Name ?? "",
                            atSalePoints.GetValueOrDefault(id) ?? []
                        )
                    );
                throw new ConflictException(
                    atSalePoints.Count > 0
                        ? $"Role '{role.Name}' is the role of {atSalePoints.Count} user(s) at sale points: give them "
                            + $"another role there first."
                        : $"Role '{role.Name}' is held by {holders.Count} user(s): take it from them first, or delete "
                            + $"with ?unassign=true."
                )
                {
                    Extensions = new Dictionary<string, object?> { ["holders"] = named },
                };
            }
            foreach (var holder in holders)
                session.Events.Append(
                    UserAccess.StreamId(holder.Facts.UserId),
                    new RoleUnassigned(holder.Facts.UserId, role.Id, role.Name, $"Role '{role.Name}' was deleted.")
                );
            stream.AppendOne(new RoleDeleted(role.Id, role.Name, holders.Select(h => h.Facts.UserId).ToList()));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapDelete(
                    "/api/tenants/{tenant}/roles/{id:guid}",
                    async (Guid id, bool? unassign, IMediator mediator, CancellationToken ct) =>
                    {
                        await mediator.Send(new Command(id, unassign ?? false), ct);
                        return Results.NoContent();
                    }
                )
                .WithTags("Roles")
                .WithName("DeleteRole")
                .Produces(StatusCodes.Status204NoContent)
                .WithSummary("Delete a role")
                .WithDescription(
                    "Refused (409) while users hold it, unless `unassign=true` takes it from them (never "
                        + "from sale-point assignments). Audited."
                )
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
