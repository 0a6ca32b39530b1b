using OrderStream.BuildingBlocks.Errors;

namespace OrderStream.BuildingBlocks.Web;

/// <summary>How a report is answered: <c>format=json</c> or <c>format=csv</c>.</summary>
public enum ReportFormat
{
    Json,
    Csv,
}

/// <summary>
/// The one reading of enum-like query values (<c>status=active</c>, <c>format=csv</c>, <c>sort=lastName</c>): matched
/// ignoring case, absent meaning <c>fallback</c>, anything else a 400 that names the parameter and the values it takes.
/// </summary>
public static class QueryValues
{
    public static T Parse<T>(string? value, T fallback, string field)
        where T : struct, Enum =>
        value is null ? fallback
        : Enum.TryParse<T>(value, ignoreCase: true, out var parsed)
        && Enum.IsDefined(parsed)
        && !int.TryParse(value, out _)
            ? parsed
        : throw new FieldRuleException(
            field,
            $"{field} must be one of: "
                + $"{string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}."
        );
}
