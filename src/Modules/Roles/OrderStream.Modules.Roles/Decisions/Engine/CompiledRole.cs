using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Persistence;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Modules.Roles.Grants;
using OrderStream.Modules.Roles.Roles;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Roles.Decisions.Engine;

/// <summary>
/// A role as the engine uses it: the feature index of each grant (-1: not a feature of the tenant), so deciding never
/// hashes codes; and for listing, its grants sorted by feature index, each as the listed permission of a user who holds
/// the feature through that grant alone, so a listing merges the user's roles without sorting and, for a feature one
/// role gives (most of them), without making anything.
/// </summary>
internal sealed class CompiledRole
{
    public Role Role { get; }
    public int[] Indices { get; }

    /// <summary>Each grant as a listed source, by grant position.</summary>
    public EffectivePermissions.Source[] Sources { get; }

    /// <summary>What each grant gives, by grant position (default for an unknown feature).</summary>
    public Holding[] Gives { get; }

    /// <summary>The feature indices of the grants, ascending (unknown features, -1, first).</summary>
    public int[] Sorted { get; }

    /// <summary>
    /// In <see cref="Sorted"/> order, each grant listed as the only source of its feature (null: unknown feature).
    /// </summary>
    public EffectivePermissions.Permission?[] Listed { get; }
    private readonly int[] _order;

    public CompiledRole(Role role, IReadOnlyDictionary<string, int> index, SecureFeature[] features)
    {
        Role = role;
        Indices = role.Grants.Select(g => index.TryGetValue(g.FeatureCode, out var i) ? i : -1).ToArray();
        Sources = role
            .Grants.Select(g => new EffectivePermissions.Source("role", role.IdText, role.Name, null, g.Qualifier))
            .ToArray();
        Gives = role
            .Grants.Select((g, i) => Indices[i] < 0 ? default : Holding.Of(g.Qualifier, features[Indices[i]]))
            .ToArray();
        var order = _order = Enumerable.Range(0, Indices.Length).OrderBy(i => Indices[i]).ToArray();
        Sorted = order.Select(i => Indices[i]).ToArray();
        Listed = order
            .Select(i =>
                Indices[i] < 0
                    ? null
                    : EffectivePermissions.Listing(
                        features[Indices[i]],
                        Gives[i],
                        role.Grants[i].Qualifier,
                        [Sources[i]]
                    )
            )
            .ToArray();
    }

    /// <summary>The position of the role's grant of the feature at <paramref name="index"/> (-1: none).</summary>
    public int GrantOf(int index)
    {
        var place = index < 0 ? -1 : Array.BinarySearch(Sorted, index);
        return place < 0 ? -1 : _order[place];
    }
}
