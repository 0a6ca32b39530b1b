using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.Modules.SalePoints.Locations;
using Contracts = OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// A sale point a user works at, with their role (user group) there: a role of the Roles module; time-boxed when
/// <c>ValidFrom</c> or <c>ValidUntil</c> is set (it applies in that window only, and is removed once it lapsed).
/// </summary>
internal sealed record SalePointAssignment(
    Guid SalePointId,
    Guid RoleId,
    DateTimeOffset? ValidFrom = null,
    DateTimeOffset? ValidUntil = null,
    DateTimeOffset? GivenAt = null,
    string? GivenBy = null
);

/// <summary>
/// Everything the user form's sale point and store tabs hold (seed 002, items 7-12). <c>FutureSalePointsRoleId</c>:
/// every sale point created from now on is added with this role; <c>FutureStores</c>: the same for stores.
/// </summary>
internal sealed record LocationsState(
    IReadOnlyList<SalePointAssignment> SalePoints,
    Guid? FutureSalePointsRoleId,
    IReadOnlyList<Guid> StoreIds,
    bool FutureStores,
    Guid? DefaultStoreId
)
{
    public static readonly LocationsState Empty = new([], null, [], false, null);
}

/// <summary>
/// One change to a user's sale points and stores, in words, with the whole state before and after, so an auditor sees
/// exactly what it did. Every kind of change is this one event: the state is small and the words say which change it
/// was.
/// </summary>
internal sealed record UserLocationsSet(
    Guid UserId,
    DateTimeOffset At,
    string Change,
    LocationsState Before,
    LocationsState After
) : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) =>
        new Contracts.UserLocationsChanged(
            m.EventId,
            m.Tenant,
            At,
            UserId.ToString(),
            After.SalePoints.Select(s => s.SalePointId.ToString()).ToList(),
            After.StoreIds.Select(s => s.ToString()).ToList()
        );
}

/// <summary>
/// A user's sale points and stores: a stream per user (id derived from the user's), and this snapshot of it.
/// </summary>
internal sealed class UserLocations
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public Guid UserId { get; set; }
    public LocationsState State { get; set; } = LocationsState.Empty;

    /// <summary>
    /// Kept beside the state so that creating a sale point finds the users who take every new one without reading all.
    /// </summary>
    public bool TakesFutureSalePoints { get; set; }
    public bool TakesFutureStores { get; set; }

    /// <summary>
    /// The earliest end of a time-boxed assignment: the lapse sweeper finds the users it must record lapses for.
    /// </summary>
    public DateTimeOffset? NextLapse { get; set; }

    public void Apply(UserLocationsSet e)
    {
        (UserId, State) = (e.UserId, e.After);
        (TakesFutureSalePoints, TakesFutureStores) = (e.After.FutureSalePointsRoleId is not null, e.After.FutureStores);
        NextLapse = e.After.SalePoints.Min(s => s.ValidUntil);
    }
}

/// <summary>
/// Reading and changing a user's locations: shared by the sale point and store slices and by location creation.
/// </summary>
internal static class UserLocationsStore
{
    /// <summary>
    /// The user's locations for a change; a user never given any has an empty, not yet started, stream.
    /// </summary>
    public static async Task<(JasperFx.Events.IEventStream<UserLocations> Stream, LocationsState State)> OpenAsync(
        IDocumentSession session,
        Guid userId,
        long? expectedVersion,
        CancellationToken ct
    )
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
            throw new PreconditionFailedException(
                "The user's sale points and stores changed since you read them (If-Match is stale). Reload and try "
                    + "again."
            );
        }
    }

    /// <summary>
    /// The user's locations for a change by a caller: the user exists (404) and the caller may change them (ADR 0019).
    /// <c>What</c> names the change in a refusal.
    /// </summary>
    public static async Task<(
        JasperFx.Events.IEventStream<UserLocations> Stream,
        LocationsState State
    )> OpenForChangeAsync(
        IDocumentSession session,
        IMediator mediator,
        Guid userId,
        long? expectedVersion,
        string what,
        CancellationToken ct
    )
    {
        await RequireUserAsync(mediator, userId, ct);
        await mediator.Send(new OrderStream.Modules.Roles.Contracts.RequireMayChangeUser(userId, what), ct);
        return await OpenAsync(session, userId, expectedVersion, ct);
    }

    /// <summary>Records the change when it changes anything (adding what is there already is no event).</summary>
    public static void Set(
        JasperFx.Events.IEventStream<UserLocations> stream,
        Guid userId,
        DateTimeOffset at,
        LocationsState before,
        LocationsState after,
        string change
    )
    {
        if (Same(before, after))
            return;
        stream.AppendOne(new UserLocationsSet(userId, at, change, before, after));
    }

    private static bool Same(LocationsState a, LocationsState b) =>
        a.SalePoints.SequenceEqual(b.SalePoints)
        && a.StoreIds.SequenceEqual(b.StoreIds)
        && (a.FutureSalePointsRoleId, a.FutureStores, a.DefaultStoreId)
            == (b.FutureSalePointsRoleId, b.FutureStores, b.DefaultStoreId);

    /// <summary>Refuses a user Identity does not know (404).</summary>
    public static async Task RequireUserAsync(IMediator mediator, Guid userId, CancellationToken ct)
    {
        var facts = await mediator.Send(new OrderStream.Modules.Identity.Contracts.GetUserAccessFacts([userId]), ct);
        if (facts.Count == 0)
            throw new NotFoundException("User", userId.ToString());
    }

    /// <summary>
    /// The role, if the caller may give it (the Roles module applies the tier rules and answers 403 when not).
    /// </summary>
    /// <summary>The role, if the caller may give it and <paramref name="holders"/> may hold it.</summary>
    public static async Task<OrderStream.Modules.Roles.Contracts.RoleFacts> RoleAsync(
        IMediator mediator,
        Guid roleId,
        ActorContext actor,
        IReadOnlyList<Guid> holders,
        CancellationToken ct
    ) =>
        await mediator.Send(
            new OrderStream.Modules.Roles.Contracts.DescribeRole(roleId, actor.RequireUser().UserId, holders),
            ct
        ) ?? throw new NotFoundException("Role", roleId.ToString());

    public static async Task<Location> LocationAsync(
        IQuerySession session,
        LocationKind kind,
        Guid id,
        CancellationToken ct
    ) =>
        await session.LoadAsync<Location>(id, ct) is { } l && l.Kind == kind
            ? l
            : throw new NotFoundException(Location.What(kind), id.ToString());

    /// <summary>
    /// The state with the sale point added at this role; null when the user has it so already (same role and window).
    /// One the user has with another role is a conflict: the role there is changed on purpose, not by adding it again.
    /// </summary>
    public static LocationsState? WithSalePoint(
        LocationsState state,
        Location salePoint,
        OrderStream.Modules.Roles.Contracts.RoleFacts role,
        DateTimeOffset? from,
        DateTimeOffset? until,
        DateTimeOffset now,
        string by,
        string field
    )
    {
        var held = state.SalePoints.FirstOrDefault(s => s.SalePointId == salePoint.Id);
        if (held is not null && held.RoleId != role.RoleId)
            throw new ConflictException(
                $"The user already has {Label(salePoint)} with another role: change the role there instead.",
                field
            );
        if (held is not null && (held.ValidFrom, held.ValidUntil) == (from, until))
            return null;
        return state with
        {
            SalePoints =
            [
                .. state.SalePoints.Where(s => s != held),
                new(salePoint.Id, role.RoleId, from, until, now, by),
            ],
        };
    }

    public static string Label(Location l) => $"{Location.What(l.Kind).ToLowerInvariant()} {l.Code} ({l.Name})";
}
