using FsCheck;
using FsCheck.Xunit;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Modules.Roles.Decisions;
using Xunit;

namespace OrderStream.Tests.Unit;

/// <summary>
/// The privilege-tier, user-type and qualifier rules (PRODUCT.md; ADR 0010), exhaustively over their inputs.
/// </summary>
public sealed class AccessRulesTests
{
    private static SecureFeature Feature(
        Tier tier,
        string code = "f",
        string[]? types = null,
        string? qualifierKind = null
    ) =>
        new(
            code,
            code,
            "test",
            "test",
            tier,
            FeatureScope.Tenant,
            types,
            true,
            qualifierKind is null ? null : new QualifierMeaning(qualifierKind, ""),
            []
        );

    private static UserAccessFacts User(bool admin, string? type = null) =>
        new(Guid.NewGuid(), "Some One", true, admin, type, [], null, null, []);

    // Who may hold a feature: every tier against every kind of user (administrator, system manager, neither).
    [Theory]
    [InlineData("None", false, false, true)]
    [InlineData("None", false, true, true)]
    [InlineData("None", true, false, true)]
    [InlineData("HostCompanyManager", false, false, true)]
    [InlineData("HostCompanyManager", true, true, true)]
    [InlineData("SystemManager", false, false, false)]
    [InlineData("SystemManager", false, true, true)]
    [InlineData("SystemManager", true, false, true)]
    [InlineData("SystemManager", true, true, true)]
    [InlineData("SystemAdministrator", false, false, false)]
    [InlineData("SystemAdministrator", false, true, false)]
    [InlineData("SystemAdministrator", true, false, true)]
    [InlineData("SystemAdministrator", true, true, true)]
    public void Holding_follows_the_tier(string tier, bool admin, bool systemManager, bool mayHold) =>
        Assert.Equal(mayHold, Rules.WhyNotHeld(Feature(Enum.Parse<Tier>(tier)), User(admin), systemManager) is null);

    // Who may give a feature: the same table for the giver; being a System Manager is given by administrators only.
    [Theory]
    [InlineData("None", false, false, true)]
    [InlineData("HostCompanyManager", false, false, true)]
    [InlineData("SystemManager", false, false, false)]
    [InlineData("SystemManager", false, true, true)]
    [InlineData("SystemManager", true, false, true)]
    [InlineData("SystemAdministrator", false, false, false)]
    [InlineData("SystemAdministrator", false, true, false)]
    [InlineData("SystemAdministrator", true, false, true)]
    public void Giving_follows_the_giver_s_tier(string tier, bool admin, bool systemManager, bool mayGive) =>
        Assert.Equal(
            mayGive,
            Rules.WhyNotGrantable(Feature(Enum.Parse<Tier>(tier)), User(admin), systemManager) is null
        );

    [Fact]
    public void Only_an_administrator_makes_a_system_manager_and_anyone_given_it_may_hold_it()
    {
        var systemManager = Feature(Tier.SystemManager, "is-system-manager");
        Assert.NotNull(Rules.WhyNotGrantable(systemManager, User(false), granterIsSystemManager: true));
        Assert.Null(Rules.WhyNotGrantable(systemManager, User(true), false));
        Assert.Null(Rules.WhyNotHeld(systemManager, User(false), false));
    }

    [Fact]
    public void Type_bound_features_are_held_only_by_users_of_that_type()
    {
        var credit = Feature(Tier.None, types: ["BusinessGroupManager"]);
        Assert.Null(Rules.WhyNotHeld(credit, User(false, "BusinessGroupManager"), false));
        Assert.Contains("BusinessGroupManager", Rules.WhyNotHeld(credit, User(false, "AccountExecutive"), false));
        Assert.Contains("no back-office type", Rules.WhyNotHeld(credit, User(true), true));
    }

    [Fact]
    public void Qualifiers_combine_to_the_highest_and_a_limit_without_one_is_unlimited()
    {
        var threshold = Feature(Tier.None, qualifierKind: "threshold");
        var limit = Feature(Tier.None, qualifierKind: "limit");
        Assert.Equal(new Holding(10, false), Holding.Of(1, threshold).Max(Holding.Of(10, threshold)));
        Assert.Equal(new Holding(5, false), Holding.Of(null, threshold).Max(Holding.Of(5, threshold)));
        Assert.Equal(new Holding(null, false), Holding.Of(null, threshold));
        Assert.True(Holding.Of(null, limit).Unlimited);
        Assert.True(Holding.Of(25, limit).Max(Holding.Of(null, limit)).Meets(100));
        // Edge values: a threshold qualifier meets exactly its own value, and no qualifier counts as zero.
        Assert.True(Holding.Of(9, threshold).Meets(9));
        Assert.False(Holding.Of(9, threshold).Meets(10));
        Assert.True(Holding.Of(null, threshold).Meets(0));
        Assert.False(Holding.Of(null, threshold).Meets(1));
        Assert.True(Holding.Of(0, threshold).Meets(null));
    }

    [Property]
    public bool Combining_is_order_free_and_never_lowers_a_qualifier(
        NonNegativeInt a,
        NonNegativeInt b,
        bool aAbsent,
        bool limit
    )
    {
        var feature = Feature(Tier.None, qualifierKind: limit ? "limit" : "threshold");
        var x = Holding.Of(aAbsent ? null : a.Get, feature);
        var y = Holding.Of(b.Get, feature);
        var both = x.Max(y);
        return both == y.Max(x) && both.Meets(b.Get) && (aAbsent || both.Meets(a.Get));
    }

    [Property]
    public bool A_holding_meets_every_level_up_to_its_qualifier_and_none_above(
        NonNegativeInt qualifier,
        NonNegativeInt asked
    )
    {
        var holding = Holding.Of(qualifier.Get, Feature(Tier.None, qualifierKind: "threshold"));
        return holding.Meets(asked.Get) == (asked.Get <= qualifier.Get);
    }

    public static TheoryData<string> EveryShippedFeature() => [.. new FeatureCatalogue().Features.Select(f => f.Code)];

    private static readonly string[] Types =
    [
        "BusinessGroupManager",
        "ProductionCoordinator",
        "AccountExecutive",
        "OnlineStoreAdministrator",
    ];

    /// <summary>
    /// Each of the catalogue's features, not a sample: an administrator gives it, and holds it with the right type.
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryShippedFeature))]
    public void An_administrator_gives_every_shipped_feature_and_holds_it_when_of_its_type(string code)
    {
        var feature = new FeatureCatalogue().Find(code)!;
        Assert.Null(Rules.WhyNotGrantable(feature, User(true), false));
        Assert.Null(Rules.WhyNotHeld(feature, User(true, feature.UserTypes?[0]), false));
        if (feature.UserTypes is { } types)
            Assert.NotNull(Rules.WhyNotHeld(feature, User(true, Types.First(t => !types.Contains(t))), false));
    }

    [Property]
    public bool Nobody_without_the_flag_gives_or_holds_a_feature_limited_to_administrators(
        bool systemManager,
        string? type
    )
    {
        var feature = new FeatureCatalogue().Find("randomise-all-names")!;
        var user = User(false, type);
        return Rules.WhyNotGrantable(feature, user, systemManager) is not null
            && Rules.WhyNotHeld(feature, user, systemManager) is not null;
    }
}
