using OrderStream.Modules.Identity.OnlineStores;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// The profile rules that need the database (seed 000, ADR 0006): PC ↔ AE links kept symmetric on both streams, the
/// first-of-pair exception, only active users newly linked, no active PC or AE left without its last link; the OSA's
/// store.
/// </summary>
internal static class CounterpartLinks
{
    public static async Task<Profile> ProfileAsync(IDocumentSession session, IUserFields fields, CancellationToken ct)
    {
        Guid? store = fields.OnlineStoreId is null ? null : Guid.Parse(fields.OnlineStoreId);
        if (store is { } storeId && await session.LoadAsync<OnlineStore>(storeId, ct) is null)
            throw new FieldRuleException("onlineStoreId", $"Online store '{storeId}' does not exist.");
        return new Profile(
            fields.Type,
            fields.SalespersonId?.Trim(),
            store,
            fields.AccessMode,
            fields.ReportCodes?.Distinct().ToList() ?? []
        );
    }

    /// <summary>
    /// Appends the link changes to this user's stream and to each counterpart's stream; returns those of this user's
    /// stream.
    /// </summary>
    public static async Task<IReadOnlyList<object>> ApplyAsync(
        IDocumentSession session,
        Guid userId,
        IReadOnlyCollection<Guid> current,
        IUserFields fields,
        DateTimeOffset at,
        CancellationToken ct
    )
    {
        var (field, counterpartType, label) = fields.Type switch
        {
            BackOfficeUserType.ProductionCoordinator => (
                "accountExecutiveIds",
                BackOfficeUserType.AccountExecutive,
                "account executive"
            ),
            BackOfficeUserType.AccountExecutive => (
                "productionCoordinatorIds",
                BackOfficeUserType.ProductionCoordinator,
                "production coordinator"
            ),
            _ => ("type", (BackOfficeUserType?)null, ""),
        };
        var requested = (fields.AccountExecutiveIds ?? fields.ProductionCoordinatorIds ?? [])
            .Select(Guid.Parse)
            .Distinct()
            .ToList();
        if (requested.Contains(userId))
            throw new FieldRuleException(field, "A user cannot be linked to themselves.");

        var added = requested.Except(current).ToList();
        var removed = current.Except(requested).ToList();
        var changed = added.Concat(removed).ToArray();
        var counterparts =
            changed.Length == 0 ? [] : (await session.LoadManyAsync<User>(ct, changed)).ToDictionary(u => u.Id);

        foreach (var id in added)
        {
            if (!counterparts.TryGetValue(id, out var other) || other.Type != counterpartType)
                throw new FieldRuleException(field, $"User '{id}' is not an {label}.");
            if (!other.IsActive)
                throw new FieldRuleException(
                    field,
                    $"{other.EmployeeName()} is inactive; only active users can be newly linked."
                );
        }
        foreach (var id in removed)
        {
            if (
                counterparts.TryGetValue(id, out var other)
                && other.IsActive
                && other.CounterpartIds.Count == 1
                && other.CounterpartIds[0] == userId
            )
            {
                var counterpart =
                    other.Type == BackOfficeUserType.AccountExecutive ? "production coordinator" : "account executive";
                throw new ConflictException(
                    $"{other.EmployeeName()} would be left without any {counterpart}. Link them to another one first.",
                    field
                );
            }
        }
        if (
            counterpartType is { } wanted
            && requested.Count == 0
            && await session.Query<UserListEntry>().AnyAsync(u => u.Type == wanted && u.IsActive, ct)
        )
            throw new FieldRuleException(field, $"Link at least one {label}.");

        var own = new List<object>();
        foreach (var id in added)
        {
            own.Add(new CounterpartLinked(userId, id, at));
            session.Events.Append(id, new CounterpartLinked(id, userId, at));
        }
        foreach (var id in removed)
        {
            own.Add(new CounterpartUnlinked(userId, id, at));
            session.Events.Append(id, new CounterpartUnlinked(id, userId, at));
        }
        if (own.Count > 0)
            session.Events.Append(userId, own.ToArray());
        return own;
    }
}
