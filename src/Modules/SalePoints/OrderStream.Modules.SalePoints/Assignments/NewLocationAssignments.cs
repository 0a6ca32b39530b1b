using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>Who gets a location when it is created, besides the users who take every future one.</summary>
internal sealed record AssignNew(IReadOnlyList<Guid>? UserIds, bool? UsersWithAllOthers, Guid? RoleId);

/// <summary>
/// The manuals' pain point: a new sale point had to be added to every user by hand. A new location goes at once, in the
/// transaction that creates it, to every user who takes all future ones, and to the users the creator chose.
/// </summary>
internal static class NewLocationAssignments
{
    public static async Task AddAsync(
        IDocumentSession session,
        IMediator mediator,
        ActorContext actor,
        Location location,
        AssignNew? assign,
        CancellationToken ct
    )
    {
        var isSalePoint = location.Kind == LocationKind.SalePoint;
        var chosenRole = assign?.RoleId is { } roleId
            ? await UserLocationsStore.RoleAsync(mediator, roleId, actor, assign.UserIds ?? [], ct)
            : null;
        // Only "every user who had all the others" needs every user's record; otherwise just those who take future
        // ones.
        var query = session.Query<UserLocations>();
        var candidates =
            assign?.UsersWithAllOthers == true ? await query.ToListAsync(ct)
            : isSalePoint ? await query.Where(u => u.TakesFutureSalePoints).ToListAsync(ct)
            : await query.Where(u => u.TakesFutureStores).ToListAsync(ct);
        var others = await session
            .Query<Location>()
            .Where(l => l.Kind == location.Kind && l.Id != location.Id)
            .Select(l => l.Id)
            .ToListAsync(ct);
        var targets = new Dictionary<Guid, (Guid? RoleId, string Why)>();
        foreach (var user in candidates)
        {
            var state = user.State;
            if (isSalePoint ? state.FutureSalePointsRoleId is not null : state.FutureStores)
                targets[user.UserId] = (isSalePoint ? state.FutureSalePointsRoleId : null, "takes every new one");
            else if (
                assign?.UsersWithAllOthers == true
                && others.Count > 0
                && others.All(
                    isSalePoint
                        ? id => state.SalePoints.Any(s => s.SalePointId == id)
                        : id => state.StoreIds.Contains(id)
                )
            )
                targets[user.UserId] = (chosenRole?.RoleId ?? MostHeldRole(state), "had every other one");
        }
        if (assign?.UserIds is { Count: > 0 } chosen)
        {
            // One question to Identity for all the chosen users, not one each (up to 1,000).
            var known = (await mediator.Send(new OrderStream.Modules.Identity.Contracts.GetUserAccessFacts(chosen), ct))
                .Select(f => f.UserId)
                .ToHashSet();
            var missing = chosen.Where(id => !known.Contains(id)).ToList();
            if (missing.Count > 0)
                throw new NotFoundException("User", missing[0].ToString());
            foreach (var userId in chosen)
            {
                await mediator.Send(
                    new OrderStream.Modules.Roles.Contracts.RequireMayChangeUser(userId, "sale points and stores"),
                    ct
                );
                targets.TryAdd(userId, (chosenRole?.RoleId, "chosen when it was created"));
            }
        }
        // The role chosen for "everyone who had all the others" must be one each of them may hold (issue #23).
        if (chosenRole is not null && assign?.UsersWithAllOthers == true)
            await mediator.Send(
                new OrderStream.Modules.Roles.Contracts.DescribeRole(
                    chosenRole.RoleId,
                    null,
                    [.. targets.Where(t => t.Value.RoleId == chosenRole.RoleId).Select(t => t.Key)]
                ),
                ct
            );
        var at = location.CreatedAt;
        foreach (var (userId, (role, why)) in targets)
        {
            var (stream, before) = await UserLocationsStore.OpenAsync(session, userId, null, ct);
            var after = isSalePoint
                ? before with
                {
                    SalePoints =
                    [
                        .. before.SalePoints,
                        new SalePointAssignment(location.Id, role!.Value, GivenAt: at, GivenBy: actor.Actor),
                    ],
                }
                : before with
                {
                    StoreIds = [.. before.StoreIds, location.Id],
                };
            UserLocationsStore.Set(
                stream,
                userId,
                at,
                before,
                after,
                $"added new {UserLocationsStore.Label(location)} (the user {why})"
            );
        }
    }

    private static Guid MostHeldRole(LocationsState state) =>
        state.SalePoints.GroupBy(s => s.RoleId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
}
