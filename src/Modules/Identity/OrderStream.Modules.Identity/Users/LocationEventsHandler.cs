using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// Consumes Sale Points' <c>UserLocationsChanged</c>, <c>LocationUpdated</c> and <c>LocationStatusChanged</c>: keeps
/// the user list's read models of users' sale points and stores (<see cref="UserLocationIndex"/>, <see
/// cref="KnownLocation"/>, <see cref="UserSalePointsTable"/>), a delivered page at a time. Each event carries a whole
/// state, so a redelivery changes nothing.
/// </summary>
internal sealed class LocationEventsHandler(IDocumentSession session) : IIntegrationEventBatchHandler
{
    public IReadOnlySet<Type> Handles { get; } =
        new HashSet<Type> { typeof(UserLocationsChanged), typeof(LocationUpdated), typeof(LocationStatusChanged) };

    public async Task HandleAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken ct)
    {
        var locationIds = events
            .Select(e =>
                e switch
                {
                    LocationUpdated x => x.Id,
                    LocationStatusChanged x => x.Id,
                    _ => null,
                }
            )
            .OfType<string>()
            .Select(Guid.Parse)
            .Distinct()
            .ToArray();
        var known =
            locationIds.Length == 0
                ? []
                : (await session.LoadManyAsync<KnownLocation>(ct, locationIds)).ToDictionary(l => l.Id);
        var users = new Dictionary<Guid, UserLocationIndex>();
        foreach (var e in events)
        {
            switch (e)
            {
                case UserLocationsChanged x:
                    var id = Guid.Parse(x.UserId);
                    users[id] = new UserLocationIndex
                    {
                        Id = id,
                        SalePointIds = [.. x.SalePointIds.Select(Guid.Parse)],
                        StoreIds = [.. x.StoreIds.Select(Guid.Parse)],
                    };
                    break;
                case LocationUpdated x:
                    var location = Known(known, x.Id);
                    (location.Code, location.Name) = (x.Code, x.Name);
                    if (x.Kind.Length > 0)
                        location.IsStore = x.Kind == "Store";
                    break;
                case LocationStatusChanged x:
                    Known(known, x.Id).IsActive = x.IsActive;
                    break;
            }
        }
        if (users.Count == 0 && known.Count == 0)
            return;
        foreach (var location in known.Values)
            session.Store(location);
        foreach (var user in users.Values)
        {
            session.Store(user);
            UserSalePointsTable.Replace(session, session.TenantId, user.Id, user.SalePointIds);
        }
        await session.SaveChangesAsync(ct);
    }

    private static KnownLocation Known(Dictionary<Guid, KnownLocation> known, string id)
    {
        var key = Guid.Parse(id);
        if (!known.TryGetValue(key, out var location))
            known[key] = location = new KnownLocation { Id = key };
        return location;
    }
}
