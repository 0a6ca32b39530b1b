using System.Text.Json;
using OrderStream.BuildingBlocks.Audit;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Roles.Catalogue;

namespace OrderStream.Modules.Roles;

/// <summary>The Roles module's events in words for the audit log, with before → after values (issue #6).</summary>
internal sealed class RolesAuditExplainer(FeatureCatalogue catalogue) : IAuditExplainer
{
    public string? Explain(string type, JsonElement d) =>
        type switch
        {
            "role_created" => $"Role '{d.Text("Name")}' created with {Grants(d, "Grants")}.",
            "role_edited" => $"Role '{d.Text("PreviousName")}' edited: {Edit(d)}.",
            "role_deleted" => $"Role '{d.Text("Name")}' "
                + $"deleted{(d.Items("UnassignedFrom").Count() is > 0 and var n ? $", taken from {n} user(s)" : "")}.",
            "role_assigned" when d.Flag("HadRole") =>
                $"Role '{d.Text("RoleName")}': window{Window(d, "PreviousValidFrom", "PreviousValidUntil", " none")} "
                    + $"→{Window(d, "ValidFrom", "ValidUntil", " none")}.",
            "role_assigned" => $"Role '{d.Text("RoleName")}' given{Window(d, "ValidFrom", "ValidUntil", "")}.",
            "role_unassigned" =>
                $"Role '{d.Text("RoleName")}' taken away{(d.Text("Reason") is { } why ? $" ({why})" : "")}.",
            "role_assignment_lapsed" => $"Time-boxed role '{d.Text("RoleName")}' lapsed at {At(d, "At")}.",
            "feature_granted" when d.Flag("HadGrant") =>
                $"Direct grant of {Name(d.Text("FeatureCode"))}: {Q(d.Number("PreviousQualifier"))} → "
                    + $"{Q(d.Number("Qualifier"))}{Window(d, "ValidFrom", "ValidUntil", "")}.",
            "feature_granted" => $"{Name(d.Text("FeatureCode"))} granted directly"
                + (d.Number("Qualifier") is { } q ? $" with qualifier {q}" : "")
                + $"{Window(d, "ValidFrom", "ValidUntil", "")}.",
            "feature_revoked" =>
                $"Direct grant of {Name(d.Text("FeatureCode"))} ({Q(d.Number("PreviousQualifier"))}) taken away.",
            "grant_lapsed" =>
                $"Time-boxed direct grant of {Name(d.Text("FeatureCode"))} ({Q(d.Number("Qualifier"))}) lapsed at "
                    + $"{At(d, "At")}.",
            "access_settings_changed" =>
                $"'Grant only what you hold': {OnOff(d.Flag("Previous"))} → {OnOff(d.Flag("GrantOnlyWhatYouHold"))}.",
            "feature_setting_changed" => $"Setting '{Setting(d.Text("Code"))}': {OnOff(d.Flag("Previous"))} → "
                + $"{OnOff(d.Flag("On"))}.",
            "user_change_refused" => $"Change refused ({d.Text("What")}): {d.Text("Rule")}",
            "custom_feature_added" =>
                $"Custom secure feature '{d.Text("Name")}' ({d.Text("Code")}) added in area {d.Text("Area")}.",
            "custom_feature_edited" => $"Custom secure feature '{d.Text("PreviousName")}' ({d.Text("Code")}) edited: "
                + string.Join(
                    "; ",
                    new[] { "Name", "Area", "Description" }
                        .Where(f => d.Text("Previous" + f) != d.Text(f))
                        .Select(f => $"{f.ToLowerInvariant()} '{d.Text("Previous" + f)}' → '{d.Text(f)}'")
                )
                + ".",
            "custom_feature_active_changed" => $"Custom secure feature '{d.Text("Name")}' ({d.Text("Code")}) "
                + (d.Flag("Active") ? "activated again." : "deactivated: it gives nothing to its holders."),
            "custom_feature_removed" => $"Custom secure feature '{d.Text("Name")}' ({d.Text("Code")}) removed.",
            "feature_tier_changed" => $"Tier of {Name(d.Text("Code"))}: {d.Text("Previous")} → {d.Text("Tier")}.",
            _ => null,
        };

    private string Name(string? code) => code is null ? "?" : catalogue.Find(code)?.Name ?? code;

    private string Setting(string? code) => catalogue.Settings.FirstOrDefault(s => s.Code == code)?.Name ?? code ?? "?";

    private static string Q(int? qualifier) => qualifier is { } q ? $"qualifier {q}" : "no qualifier";

    private static string OnOff(bool on) => on ? "on" : "off";

    private static string At(JsonElement d, string name) => d.Instant(name) is { } at ? Validity.Text(at) : "?";

    private static string Window(JsonElement d, string from, string until, string none)
    {
        var words = Validity.Describe(d.Instant(from), d.Instant(until));
        return words.Length == 0 ? none : words;
    }

    private string Grants(JsonElement d, string name)
    {
        var grants = d.Items(name)
            .Select(g => $"{Name(g.Text("FeatureCode"))}{(g.Number("Qualifier") is { } q ? $" ({q})" : "")}")
            .ToList();
        return grants.Count == 0 ? "no features" : $"{grants.Count} feature(s): {string.Join(", ", grants)}";
    }

    /// <summary>
    /// "renamed 'A' → 'B'; qualifier 5 → 10 on Manage Order Discounts; added Can Move Stock; removed …".
    /// </summary>
    private string Edit(JsonElement d)
    {
        var changes = new List<string>();
        if (d.Text("PreviousName") != d.Text("Name"))
            changes.Add($"renamed '{d.Text("PreviousName")}' → '{d.Text("Name")}'");
        if (d.Text("PreviousDescription") != d.Text("Description"))
            changes.Add($"description '{d.Text("PreviousDescription")}' → '{d.Text("Description")}'");
        var before = d.Items("PreviousGrants")
            .ToDictionary(g => g.Text("FeatureCode") ?? "", g => g.Number("Qualifier"));
        var after = d.Items("Grants").ToDictionary(g => g.Text("FeatureCode") ?? "", g => g.Number("Qualifier"));
        foreach (var (code, q) in after)
            if (!before.TryGetValue(code, out var was))
                changes.Add($"added {Name(code)}{(q is { } n ? $" with qualifier {n}" : "")}");
            else if (was != q)
                changes.Add($"{Q(was)} → {Q(q)} on {Name(code)}");
        foreach (var code in before.Keys.Where(c => !after.ContainsKey(c)))
            changes.Add($"removed {Name(code)}");
        return changes.Count == 0 ? "nothing changed" : string.Join("; ", changes);
    }
}
