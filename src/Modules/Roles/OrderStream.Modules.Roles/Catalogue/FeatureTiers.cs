using System.Security.Cryptography;
using System.Text;

namespace OrderStream.Modules.Roles.Catalogue;

internal sealed record FeatureTierChanged(string Code, Tier Tier, Tier Previous);

/// <summary>
/// The tiers a tenant gave features (seed 001: "any secure feature can be limited so it is not available to all
/// users"): a shipped feature's raised, never below the catalogue's; a custom feature's as its System Administrator
/// chose (ADR 0029). A feature not named keeps the catalogue's tier, a custom one none.
/// </summary>
internal sealed class FeatureTiers
{
    public static readonly Guid StreamId = new(MD5.HashData(Encoding.UTF8.GetBytes("feature-tiers")));

    public Guid Id { get; set; }
    public long Version { get; set; }
    public Dictionary<string, Tier> Tiers { get; set; } = [];

    public void Apply(FeatureTierChanged e) => Tiers[e.Code] = e.Tier;
}

/// <summary>A feature's tier in this tenant: the catalogue's (null for a custom feature), and the one in force.
/// </summary>
internal sealed record FeatureTierValue(string Code, string Name, bool Custom, Tier? ShippedTier, Tier Tier);

internal sealed record FeatureTiersResponse(IReadOnlyList<FeatureTierValue> Features, long Version);
