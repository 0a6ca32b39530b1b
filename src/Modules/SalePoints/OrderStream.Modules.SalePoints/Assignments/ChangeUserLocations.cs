using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.SalePoints.Contracts;
using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// A bulk row's change of a user's sale points and stores: every part applied to one read of the user's locations and
/// recorded as one event (before → after, in words), in the sender's transaction.
/// </summary>
internal sealed class ChangeUserLocationsHandler(
    IDocumentSession session,
    IMediator mediator,
    ActorContext actor,
    IFeatureDecider features,
    TimeProvider clock
) : IRequestHandler<ChangeUserLocations, IReadOnlyList<string>>
{
    public async Task<IReadOnlyList<string>> Handle(ChangeUserLocations c, CancellationToken ct)
    {
        // The HTTP routes check this; a bulk change sent by another module reaches here without them.
        await features.RequireAnyAsync(
            actor.RequireUser(),
            SalePointsModule.ManageUsers,
            ct,
            "Changing users' sale points and stores"
        );
        if (!c.UserChecked)
            await UserLocationsStore.RequireUserAsync(mediator, c.UserId, ct);
        await mediator.Send(new Roles.Contracts.RequireMayChangeUser(c.UserId, "sale points and stores"), ct);
        var (stream, before) = await UserLocationsStore.OpenAsync(session, c.UserId, null, ct);
        var now = clock.GetUtcNow();
        var state = before;
        var changes = new List<string>();
        // Removed first: a sale point removed and added again in one change is its role changed (the user form).
        foreach (var id in c.RemoveSalePoints)
        {
            var salePoint = await UserLocationsStore.LocationAsync(session, LocationKind.SalePoint, id, ct);
            if (state.SalePoints.All(s => s.SalePointId != id))
                continue;
            state = state with { SalePoints = [.. state.SalePoints.Where(s => s.SalePointId != id)] };
            changes.Add($"removed {UserLocationsStore.Label(salePoint)}");
        }
        foreach (var add in c.AddSalePoints)
        {
            var salePoint = await UserLocationsStore.LocationAsync(
                session,
                LocationKind.SalePoint,
                add.SalePointId,
                ct
            );
            var role = await UserLocationsStore.RoleAsync(mediator, add.RoleId, actor, [c.UserId], ct);
            if (
                UserLocationsStore.WithSalePoint(
                    state,
                    salePoint,
                    role,
                    add.ValidFrom,
                    add.ValidUntil,
                    now,
                    actor.Actor,
                    "addSalePoints"
                )
                is not { } after
            )
                continue;
            state = after;
            changes.Add(
                $"added {UserLocationsStore.Label(salePoint)} with role "
                    + $"{role.Name}{Validity.Describe(add.ValidFrom, add.ValidUntil)}"
            );
        }
        if (c.FutureSalePointsRoleId is { } futureRole && state.FutureSalePointsRoleId != futureRole)
        {
            var role = await UserLocationsStore.RoleAsync(mediator, futureRole, actor, [c.UserId], ct);
            state = state with { FutureSalePointsRoleId = role.RoleId };
            changes.Add($"every future sale point added with role {role.Name}");
        }
        else if (c.StopFutureSalePoints && state.FutureSalePointsRoleId is not null)
        {
            state = state with { FutureSalePointsRoleId = null };
            changes.Add("future sale points no longer added");
        }
        if (c.FutureStores is { } futureStores && futureStores != state.FutureStores)
        {
            state = state with { FutureStores = futureStores };
            changes.Add(futureStores ? "every future store added" : "future stores no longer added");
        }
        foreach (var id in c.AddStores)
        {
            var store = await UserLocationsStore.LocationAsync(session, LocationKind.Store, id, ct);
            if (state.StoreIds.Contains(id))
                continue;
            state = state with { StoreIds = [.. state.StoreIds, id] };
            changes.Add($"added {UserLocationsStore.Label(store)}");
        }
        if (c.DefaultStoreId is { } defaultId && state.DefaultStoreId != defaultId)
        {
            var store = await UserLocationsStore.LocationAsync(session, LocationKind.Store, defaultId, ct);
            if (!state.StoreIds.Contains(defaultId))
                throw new FieldRuleException(
                    "defaultStoreId",
                    $"{UserLocationsStore.Label(store)} is not one of the user's stores: add it to the user first."
                );
            state = state with { DefaultStoreId = defaultId };
            changes.Add($"default store set to {UserLocationsStore.Label(store)}");
        }
        foreach (var id in c.RemoveStores)
        {
            var store = await UserLocationsStore.LocationAsync(session, LocationKind.Store, id, ct);
            if (!state.StoreIds.Contains(id))
                continue;
            if (state.DefaultStoreId == id)
                throw new ConflictException(
                    $"{UserLocationsStore.Label(store)} is the user's default store: choose another default store "
                        + $"first.",
                    "removeStores"
                );
            state = state with { StoreIds = [.. state.StoreIds.Where(s => s != id)] };
            changes.Add($"removed {UserLocationsStore.Label(store)}");
        }
        UserLocationsStore.Set(stream, c.UserId, now, before, state, string.Join("; ", changes));
        return changes;
    }
}
