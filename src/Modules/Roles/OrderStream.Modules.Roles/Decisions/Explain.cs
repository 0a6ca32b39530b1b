using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>One reason for a decision: a grant that gave the feature, or why it was refused.</summary>
internal sealed record Reason(
    string Code,
    string Message,
    string? RoleId = null,
    string? RoleName = null,
    int? Qualifier = null
);

internal sealed record Decision(bool Allowed, int? Qualifier, bool Unlimited, IReadOnlyList<Reason> Reasons);

/// <summary>
/// Decisions with their explanation (the engine's hot path answers yes or no only; this names the grants).
/// </summary>
internal static class Explain
{
    /// <summary>
    /// <paramref name="salePoint"/> and <paramref name="store"/>: where the decision is asked about (known locations of
    /// the tenant). A feature of a sale point or a store needs the user to be assigned there, and the place to be
    /// active.
    /// </summary>
    public static Decision Decide(
        TenantAccess access,
        UserEntry? user,
        SecureFeature feature,
        int? minQualifier,
        LocationFacts? salePoint,
        LocationFacts? store
    )
    {
        if (user is null)
            return Denied("unknown-user", "There is no such user in this tenant.");
        if (!feature.Active)
            return Denied("feature-inactive", $"'{feature.Name}' is not active yet.");
        if (!user.Facts.IsActive)
            return Denied("user-inactive", $"{user.Facts.Name} is inactive.");
        var place = feature.Scope switch
        {
            FeatureScope.SalePoint => salePoint,
            FeatureScope.Store => store,
            _ => null,
        };
        if (place is not null)
        {
            var what = $"{(place.IsStore ? "store" : "sale point")} {place.Code} ({place.Name})";
            var (assignment, notNow) = place.IsStore ? (null, null) : access.AssignmentAt(user, place.Id);
            var assigned = place.IsStore ? user.Locations.StoreIds.Contains(place.Id) : assignment is not null;
            if (!assigned)
                return Denied(
                    "not-assigned",
                    $"{user.Facts.Name} is not assigned to {what}, so '{feature.Name}' does not apply there."
                );
            if (notNow is not null)
                return Denied(
                    "not-assigned",
                    $"{user.Facts.Name}'s time-boxed assignment to {what} {notNow}, so '{feature.Name}' does not "
                        + $"apply there."
                );
            if (!place.IsActive)
                return Denied("location-inactive", $"{char.ToUpperInvariant(what[0])}{what[1..]} is inactive.");
        }
        // Decisions are synchronous: one buffer per thread for the grants judged, never shared. No LINQ: this is every
        // POST /authorization/check, tens of thousands a second.
        var sources = access.GrantsOf(user, salePoint?.Id, feature.Code, _sources ??= []);
        Holding? holding = null;
        var reasons = new List<Reason>(sources.Count + 1);
        foreach (var s in sources)
            if (s.Why is null)
            {
                holding = Holding.Combine(holding, s.Holding);
                reasons.Add(Granted(s));
            }
        if (holding is not { } h)
        {
            if (sources.Count == 0)
                return Denied("no-grant", $"{user.Facts.Name} has no role or grant that gives '{feature.Name}'.");
            foreach (var s in sources)
                reasons.Add(new Reason(s.WhyCode!, s.Why!, s.Role?.IdText, s.Role?.Name, s.Qualifier));
            return new Decision(false, null, false, reasons);
        }
        if (!h.Meets(minQualifier))
        {
            reasons.Insert(
                0,
                new Reason(
                    "qualifier-too-low",
                    $"'{feature.Name}' is held with qualifier {h.Qualifier ?? 0}, below the {minQualifier} asked for."
                )
            );
            return new Decision(false, h.Qualifier, false, reasons);
        }
        return new Decision(true, h.Qualifier, h.Unlimited, reasons);
    }

    [ThreadStatic]
    private static List<TenantAccess.Source>? _sources;

    private static Reason Granted(TenantAccess.Source s) =>
        s.Role is { } role
            ? new Reason(
                "granted-by-role",
                $"Role '{role.Name}'{(s.SalePointId is null ? "" : " (the user's role at this sale point)")} gives "
                    + $"it{Q(s.Qualifier)}{Until(s)}.",
                role.IdText,
                role.Name,
                s.Qualifier
            )
            : new Reason("granted-directly", $"Granted directly{Q(s.Qualifier)}{Until(s)}.", Qualifier: s.Qualifier);

    private static string Until(TenantAccess.Source s) => s.Until is { } until ? $", until {Validity.Text(until)}" : "";

    private static string Q(int? qualifier) => qualifier is { } q ? $" with qualifier {q}" : "";

    private static Decision Denied(string code, string message) => new(false, null, false, [new Reason(code, message)]);
}
