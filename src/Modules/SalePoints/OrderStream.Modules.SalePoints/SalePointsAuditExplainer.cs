using System.Text.Json;
using OrderStream.BuildingBlocks.Audit;

namespace OrderStream.Modules.SalePoints;

/// <summary>
/// The Sale Points module's events in words for the audit log (issue #6); a user's locations change says its own words.
/// </summary>
internal sealed class SalePointsAuditExplainer : IAuditExplainer
{
    public string? Explain(string type, JsonElement d) =>
        type switch
        {
            "user_locations_set" => Capital(d.Text("Change") ?? "Sale points and stores changed") + ".",
            "location_opened" => $"{Kind(d)} {d.Text("Code")} ({d.Text("Name")}) created.",
            "location_changed" =>
                $"Code/name {d.Text("PreviousCode")} ({d.Text("PreviousName")}) → {d.Text("Code")} ({d.Text("Name")}).",
            "location_deactivated" => $"Active → inactive{(d.Text("Reason") is { Length: > 0 } r ? $" ({r})" : "")}.",
            "location_reactivated" => $"Inactive → active{(d.Text("Reason") is { Length: > 0 } r ? $" ({r})" : "")}.",
            _ => null,
        };

    private static string Kind(JsonElement d) => d.Text("Kind") == "Store" ? "Store" : "Sale point";

    private static string Capital(string words) =>
        words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
}
