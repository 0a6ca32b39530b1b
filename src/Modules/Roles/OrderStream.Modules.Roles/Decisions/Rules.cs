using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Catalogue;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// A feature as held: the highest qualifier among the grants that apply, or no limit at all (ADR 0009).
/// </summary>
internal readonly record struct Holding(int? Qualifier, bool Unlimited)
{
    public bool Meets(int? minQualifier) => Unlimited || minQualifier is not { } min || (Qualifier ?? 0) >= min;

    /// <summary>
    /// One grant of a feature as held: a limit feature (ADR 0009) granted without a qualifier has no limit.
    /// </summary>
    public static Holding Of(int? qualifier, SecureFeature feature) =>
        new(qualifier, qualifier is null && feature.Qualifier?.IsLimit == true);

    /// <summary>
    /// What is held once <paramref name="grant"/> is added to what was held so far (null: nothing yet).
    /// </summary>
    public static Holding Combine(Holding? held, Holding grant) => held is { } h ? h.Max(grant) : grant;

    /// <summary>Combines two grants of one feature: the higher qualifier wins, and no limit wins over any.</summary>
    public Holding Max(Holding other) =>
        new(
            Qualifier is null ? other.Qualifier
                : other.Qualifier is null ? Qualifier
                : Math.Max(Qualifier.Value, other.Qualifier.Value),
            Unlimited || other.Unlimited
        );
}

/// <summary>
/// The privilege-tier and user-type rules (PRODUCT.md), applied both when granting and when deciding.
/// </summary>
internal static class Rules
{
    /// <summary>
    /// Why this user may not hold the feature (null: they may). <paramref name="isSystemManager"/> from their valid
    /// grants.
    /// </summary>
    public static string? WhyNotHeld(SecureFeature feature, UserAccessFacts user, bool isSystemManager) =>
        feature.Tier switch
        {
            Tier.SystemAdministrator when !user.IsSystemAdministrator =>
                $"'{feature.Name}' is limited to System Administrators, and {user.Name} is not one.",
            Tier.SystemManager
                when !user.IsSystemAdministrator && !isSystemManager && feature.Code != RolesModule.SystemManager =>
                $"'{feature.Name}' is limited to System Managers, and {user.Name} is neither a System Manager nor a "
                    + $"System Administrator.",
            _ when feature.UserTypes is { } types && (user.Type is null || !types.Contains(user.Type)) =>
                $"'{feature.Name}' is only for {string.Join(" or ", types)} users; {user.Name} is "
                    + $"{user.Type ?? "of no back-office type"}.",
            _ => WhyNotInProfile(feature, user),
        };

    private const string FullStoreAccess = "online-store-full-access",
        ReportPrefix = "online-store-report-";

    /// <summary>
    /// Seed 000: an Online Store Administrator with reports only sees the Reports of their store and nothing else, and
    /// only the reports their profile lists; the profile limits what roles and grants give (issue #23).
    /// </summary>
    private static string? WhyNotInProfile(SecureFeature feature, UserAccessFacts user) =>
        user is { Type: "OnlineStoreAdministrator", AccessMode: "ReportsOnly" }
            ? feature.Code switch
            {
                FullStoreAccess => $"{user.Name} has reports-only access to their online store (their profile).",
                var code
                    when code.StartsWith(ReportPrefix, StringComparison.Ordinal)
                        && !user.ReportCodes.Contains(code[ReportPrefix.Length..]) =>
                    $"'{feature.Name}' is not among the reports of {user.Name}'s profile.",
                _ => null,
            }
            : null;

    /// <summary>Why the granter may not give the feature (null: they may). Nobody gives past their own tier.</summary>
    public static string? WhyNotGrantable(
        SecureFeature feature,
        UserAccessFacts granter,
        bool granterIsSystemManager
    ) =>
        feature.Tier switch
        {
            Tier.SystemAdministrator when !granter.IsSystemAdministrator =>
                $"Only a System Administrator may give '{feature.Name}'.",
            Tier.SystemManager when feature.Code == RolesModule.SystemManager && !granter.IsSystemAdministrator =>
                $"Only a System Administrator may give '{feature.Name}'.",
            Tier.SystemManager when !granter.IsSystemAdministrator && !granterIsSystemManager =>
                $"Only a System Administrator or a System Manager may give '{feature.Name}'.",
            _ => null,
        };
}
