using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.Modules.SalePoints.Locations;
using Contracts = OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// A sale point a user works at, with their role (user group) there: a role of the Roles module; time-boxed when
/// <c>ValidFrom</c> or <c>ValidUntil</c> is set (it applies in that window only, and is removed once it lapsed).
/// </summary>
internal sealed record SalePointAssignment(Guid SalePointId, Guid RoleId, DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidUntil = null,
    DateTimeOffset? GivenAt = null, string? GivenBy = null);

/// <summary>
/// Everything the user form's sale point and store tabs hold (seed 002, items 7-12). <c>FutureSalePointsRoleId</c>: every
/// sale point created from now on is added with this role; <c>FutureStores</c>: the same for stores.
/// </summary>
internal sealed record LocationsState(IReadOnlyList<SalePointAssignment> SalePoints, Guid? FutureSalePointsRoleId, IReadOnlyList<Guid> StoreIds,
    bool FutureStores, Guid? DefaultStoreId)
{
    public static readonly LocationsState Empty = new([], null, [], false, null);
}

/// <summary>
/// One change to a user's sale points and stores, in words, with the whole state before and after, so an auditor sees
/// exactly what it did. Every kind of change is this one event: the state is small and the words say which change it was.
/// </summary>
internal sealed record UserLocationsSet(Guid UserId, DateTimeOffset At, string Change, LocationsState Before, LocationsState After)
    : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) => new Contracts.UserLocationsChanged(m.EventId, m.Tenant, At, UserId.ToString(),
        After.SalePoints.Select(s => s.SalePointId.ToString()).ToList(), After.StoreIds.Select(s => s.ToString()).ToList());
}

/// <summary>A user's sale points and stores: a stream per user (id derived from the user's), and this snapshot of it.</summary>
internal sealed class UserLocations
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid UserId { get; set; }
    public LocationsState State { get; set; } = LocationsState.Empty;
    /// <summary>Kept beside the state so that creating a sale point finds the users who take every new one without reading all.</summary>
    public bool TakesFutureSalePoints { get; set; }
    public bool TakesFutureStores { get; set; }
    /// <summary>The earliest end of a time-boxed assignment: the lapse sweeper finds the users it must record lapses for.</summary>
    public DateTimeOffset? NextLapse { get; set; }

    public void Apply(UserLocationsSet e)
    {
        (UserId, State) = (e.UserId, e.After);
        (TakesFutureSalePoints, TakesFutureStores) = (e.After.FutureSalePointsRoleId is not null, e.After.FutureStores);
        NextLapse = e.After.SalePoints.Min(s => s.ValidUntil);
    }
}

/// <summary>Reading and changing a user's locations: shared by the sale point and store slices and by location creation.</summary>
internal static class UserLocationsStore
{
    /// <summary>The user's locations for a change; a user never given any has an empty, not yet started, stream.</summary>
    public static async Task<(JasperFx.Events.IEventStream<UserLocations> Stream, LocationsState State)> OpenAsync(IDocumentSession session,
        Guid userId, long? expectedVersion, CancellationToken ct)
    {
        var id = Contracts.LocationStreams.OfUser(userId);
        try
        {
            var stream = expectedVersion is { } version
                ? await session.Events.FetchForWriting<UserLocations>(id, version, ct)
                : await session.Events.FetchForWriting<UserLocations>(id, ct);
            return (stream, stream.Aggregate?.State ?? LocationsState.Empty);
        }
        catch (JasperFx.ConcurrencyException)
        {
            throw new PreconditionFailedException("The user's sale points and stores changed since you read them (If-Match is stale). Reload and try again.");
        }
    }

    /// <summary>Records the change when it changes anything (adding what is there already is no event).</summary>
    public static void Set(JasperFx.Events.IEventStream<UserLocations> stream, Guid userId, DateTimeOffset at, LocationsState before,
        LocationsState after, string change)
    {
        if (Same(before, after)) return;
        stream.AppendOne(new UserLocationsSet(userId, at, change, before, after));
    }

    private static bool Same(LocationsState a, LocationsState b) =>
        a.SalePoints.SequenceEqual(b.SalePoints) && a.StoreIds.SequenceEqual(b.StoreIds)
        && (a.FutureSalePointsRoleId, a.FutureStores, a.DefaultStoreId) == (b.FutureSalePointsRoleId, b.FutureStores, b.DefaultStoreId);

    /// <summary>Refuses a user Identity does not know (404).</summary>
    public static async Task RequireUserAsync(IMediator mediator, Guid userId, CancellationToken ct)
    {
        var facts = await mediator.Send(new OrderStream.Modules.Identity.Contracts.GetUserAccessFacts([userId]), ct);
        if (facts.Count == 0) throw new NotFoundException("User", userId.ToString());
    }

    /// <summary>The role, if the caller may give it (the Roles module applies the tier rules and answers 403 when not).</summary>
    public static async Task<OrderStream.Modules.Roles.Contracts.RoleFacts> RoleAsync(IMediator mediator, Guid roleId, ActorContext actor,
        CancellationToken ct) =>
        await mediator.Send(new OrderStream.Modules.Roles.Contracts.DescribeRole(roleId, actor.RequireUser().UserId), ct)
        ?? throw new NotFoundException("Role", roleId.ToString());

    public static async Task<Location> LocationAsync(IQuerySession session, LocationKind kind, Guid id, CancellationToken ct) =>
        await session.LoadAsync<Location>(id, ct) is { } l && l.Kind == kind ? l : throw new NotFoundException(Location.What(kind), id.ToString());

    /// <summary>
    /// The state with the sale point added at this role; null when the user has it so already (same role and window). One
    /// the user has with another role is a conflict: the role there is changed on purpose, not by adding it again.
    /// </summary>
    public static LocationsState? WithSalePoint(LocationsState state, Location salePoint, OrderStream.Modules.Roles.Contracts.RoleFacts role,
        DateTimeOffset? from, DateTimeOffset? until, DateTimeOffset now, string by, string field)
    {
        var held = state.SalePoints.FirstOrDefault(s => s.SalePointId == salePoint.Id);
        if (held is not null && held.RoleId != role.RoleId)
            throw new ConflictException($"The user already has {Label(salePoint)} with another role: change the role there instead.", field);
        if (held is not null && (held.ValidFrom, held.ValidUntil) == (from, until)) return null;
        return state with { SalePoints = [.. state.SalePoints.Where(s => s != held), new(salePoint.Id, role.RoleId, from, until, now, by)] };
    }

    public static string Label(Location l) => $"{Location.What(l.Kind).ToLowerInvariant()} {l.Code} ({l.Name})";
}

/// <summary>Who gets a location when it is created, besides the users who take every future one.</summary>
internal sealed record AssignNew(IReadOnlyList<Guid>? UserIds, bool? UsersWithAllOthers, Guid? RoleId);

/// <summary>
/// The manuals' pain point: a new sale point had to be added to every user by hand. A new location goes at once, in the
/// transaction that creates it, to every user who takes all future ones, and to the users the creator chose.
/// </summary>
internal static class NewLocationAssignments
{
    public static async Task AddAsync(IDocumentSession session, IMediator mediator, ActorContext actor, Location location, AssignNew? assign,
        CancellationToken ct)
    {
        var isSalePoint = location.Kind == LocationKind.SalePoint;
        var chosenRole = assign?.RoleId is { } roleId ? await UserLocationsStore.RoleAsync(mediator, roleId, actor, ct) : null;
        // Only "every user who had all the others" needs every user's record; otherwise just those who take future ones.
        var query = session.Query<UserLocations>();
        var candidates = assign?.UsersWithAllOthers == true ? await query.ToListAsync(ct)
            : isSalePoint ? await query.Where(u => u.TakesFutureSalePoints).ToListAsync(ct)
            : await query.Where(u => u.TakesFutureStores).ToListAsync(ct);
        var others = await session.Query<Location>().Where(l => l.Kind == location.Kind && l.Id != location.Id).Select(l => l.Id).ToListAsync(ct);
        var targets = new Dictionary<Guid, (Guid? RoleId, string Why)>();
        foreach (var user in candidates)
        {
            var state = user.State;
            if (isSalePoint ? state.FutureSalePointsRoleId is not null : state.FutureStores)
                targets[user.UserId] = (isSalePoint ? state.FutureSalePointsRoleId : null, "takes every new one");
            else if (assign?.UsersWithAllOthers == true && others.Count > 0 && others.All(isSalePoint
                         ? id => state.SalePoints.Any(s => s.SalePointId == id)
                         : id => state.StoreIds.Contains(id)))
                targets[user.UserId] = (chosenRole?.RoleId ?? MostHeldRole(state), "had every other one");
        }
        if (assign?.UserIds is { Count: > 0 } chosen)
        {
            // One question to Identity for all the chosen users, not one each (up to 1,000).
            var known = (await mediator.Send(new OrderStream.Modules.Identity.Contracts.GetUserAccessFacts(chosen), ct)).Select(f => f.UserId).ToHashSet();
            var missing = chosen.Where(id => !known.Contains(id)).ToList();
            if (missing.Count > 0) throw new NotFoundException("User", missing[0].ToString());
            foreach (var userId in chosen)
            {
                await mediator.Send(new OrderStream.Modules.Roles.Contracts.RequireMayChangeUser(userId, "sale points and stores"), ct);
                targets.TryAdd(userId, (chosenRole?.RoleId, "chosen when it was created"));
            }
        }
        var at = location.CreatedAt;
        foreach (var (userId, (role, why)) in targets)
        {
            var (stream, before) = await UserLocationsStore.OpenAsync(session, userId, null, ct);
            var after = isSalePoint
                ? before with { SalePoints = [.. before.SalePoints, new SalePointAssignment(location.Id, role!.Value, GivenAt: at, GivenBy: actor.Actor)] }
                : before with { StoreIds = [.. before.StoreIds, location.Id] };
            UserLocationsStore.Set(stream, userId, at, before, after, $"added new {UserLocationsStore.Label(location)} (the user {why})");
        }
    }

    private static Guid MostHeldRole(LocationsState state) =>
        state.SalePoints.GroupBy(s => s.RoleId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
}

internal sealed record UserSalePointItem(string SalePointId, string Code, string Name, bool IsActive, string RoleId, string? RoleName,
    DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

internal sealed record UserStoreItem(string StoreId, string Code, string Name, bool IsActive, bool IsDefault);

/// <summary>The user form's sale point and store tabs; <c>Version</c> is the ETag of writes to either.</summary>
internal sealed record UserLocationsResponse(string UserId, long Version, IReadOnlyList<UserSalePointItem> SalePoints, string? FutureSalePointsRoleId,
    string? FutureSalePointsRoleName, IReadOnlyList<UserStoreItem> Stores, bool FutureStores, string? DefaultStoreId)
{
    /// <summary>The answer to a write: the user's locations as the change left them.</summary>
    public static async Task<IResult> AfterAsync(Task<Unit> change, Guid userId, IQuerySession session, IMediator mediator, HttpContext http,
        CancellationToken ct)
    {
        await change;
        return await AnswerAsync(userId, session, mediator, http, ct);
    }

    public static async Task<IResult> AnswerAsync(Guid userId, IQuerySession session, IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var record = await session.LoadAsync<UserLocations>(Contracts.LocationStreams.OfUser(userId), ct);
        if (record is null) await UserLocationsStore.RequireUserAsync(mediator, userId, ct);
        var state = record?.State ?? LocationsState.Empty;
        var ids = state.SalePoints.Select(s => s.SalePointId).Concat(state.StoreIds).Distinct().ToArray();
        var locations = ids.Length == 0 ? new Dictionary<Guid, Location>() : (await session.LoadManyAsync<Location>(ct, ids)).ToDictionary(l => l.Id);
        var roleNames = new Dictionary<Guid, string?>();
        foreach (var role in state.SalePoints.Select(s => s.RoleId).Append(state.FutureSalePointsRoleId ?? Guid.Empty).Distinct())
            if (role != Guid.Empty)
                roleNames[role] = (await mediator.Send(new OrderStream.Modules.Roles.Contracts.DescribeRole(role, null), ct))?.Name;
        var salePoints = state.SalePoints.Where(s => locations.ContainsKey(s.SalePointId)).Select(s => (Assignment: s, At: locations[s.SalePointId]))
            .Select(x => new UserSalePointItem(x.At.Id.ToString(), x.At.Code, x.At.Name, x.At.IsActive, x.Assignment.RoleId.ToString(),
                roleNames.GetValueOrDefault(x.Assignment.RoleId), x.Assignment.ValidFrom, x.Assignment.ValidUntil))
            .OrderBy(s => s.Code, StringComparer.OrdinalIgnoreCase).ToList();
        var stores = state.StoreIds.Where(locations.ContainsKey).Select(id => locations[id])
            .Select(l => new UserStoreItem(l.Id.ToString(), l.Code, l.Name, l.IsActive, l.Id == state.DefaultStoreId))
            .OrderBy(s => s.Code, StringComparer.OrdinalIgnoreCase).ToList();
        var future = state.FutureSalePointsRoleId;
        return http.WithETag(record?.Version ?? 0, new UserLocationsResponse(userId.ToString(), record?.Version ?? 0, salePoints, future?.ToString(),
            future is { } f ? roleNames.GetValueOrDefault(f) : null, stores, state.FutureStores, state.DefaultStoreId?.ToString()));
    }
}
