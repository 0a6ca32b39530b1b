using System.Text.Json;

namespace OrderStream.BuildingBlocks.Audit;

/// <summary>
/// A module's words for its own events in the audit log (issue #6): what changed, as before → after, e.g. "qualifier 5
/// → 10 on Manage Order Discounts in role Sales". Null: not one of its events. Each module registers one.
/// </summary>
public interface IAuditExplainer
{
    string? Explain(string type, JsonElement data);
}

/// <summary>
/// Names of users for the audit log's actors, from the module that owns users (Identity), for the tenant of the scope.
/// </summary>
public interface IAuditNames
{
    Task<IReadOnlyDictionary<Guid, string>> NamesAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct);
}

/// <summary>Reading event data the explainers share: a field as text, number or flag, absent or null as null.</summary>
public static class AuditData
{
    public static string? Text(this JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int? Number(this JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)
            ? n
            : null;

    public static bool Flag(this JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    public static DateTimeOffset? Instant(this JsonElement data, string name) =>
        data.TryGetProperty(name, out var v)
        && v.ValueKind == JsonValueKind.String
        && v.TryGetDateTimeOffset(out var at)
            ? at
            : null;

    public static IEnumerable<JsonElement> Items(this JsonElement data, string name) =>
        data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];
}
