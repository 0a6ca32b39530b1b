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
/// One user as the engine knows them: facts from Identity, grants from this module, sale points and stores from Sale
/// Points, and the compiled tenant-wide holdings, good until <c>NextChange</c> (a time-boxed grant beginning or
/// lapsing; null: none). <c>TimeBoxed</c>: a tenant-wide role or direct grant has a window (the fast listing must then
/// judge windows).
/// </summary>
internal sealed record UserEntry(
    UserAccessFacts Facts,
    UserAccess Access,
    UserLocationFacts Locations,
    Holdings Holdings,
    DateTimeOffset? NextChange = null,
    bool TimeBoxed = false
);

/// <summary>
/// A user's valid holdings in a few hundred bytes: one bit per feature of the tenant's feature index, and the qualifier
/// of each feature held, in index order (20,000 users with ~100 features each fit in tens of megabytes, ADR 0010).
/// </summary>
internal sealed class Holdings
{
    private const int NoQualifier = -1,
        Unlimited = -2;
    private readonly ulong[] _bits;
    private readonly int[] _qualifiers;

    private Holdings(ulong[] bits, int[] qualifiers) => (_bits, _qualifiers) = (bits, qualifiers);

    /// <summary>From what the user holds, by feature index (null: not held).</summary>
    public static Holdings Of(ReadOnlySpan<Holding?> held)
    {
        int count = 0,
            last = -1;
        for (var index = 0; index < held.Length; index++)
            if (held[index] is not null)
                (count, last) = (count + 1, index);
        var bits = new ulong[last < 0 ? 0 : (last >> 6) + 1];
        var qualifiers = new int[count];
        for (int index = 0, rank = 0; index <= last; index++)
        {
            if (held[index] is not { } h)
                continue;
            bits[index >> 6] |= 1UL << index;
            qualifiers[rank++] = h.Unlimited ? Unlimited : h.Qualifier ?? NoQualifier;
        }
        return new Holdings(bits, qualifiers);
    }

    public int Count => _qualifiers.Length;

    /// <summary>The features held, in index order, with their holding: what the permission matrix walks.</summary>
    public IEnumerable<(int Index, Holding Holding)> Held()
    {
        for (int word = 0, rank = 0; word < _bits.Length; word++)
        for (var bits = _bits[word]; bits != 0; bits &= bits - 1)
            yield return (
                (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits),
                HoldingAt(_qualifiers[rank++])
            );
    }

    /// <summary>
    /// The raw form, for the listing's tight loop: a bit per feature index; the qualifiers held, in index order (see
    /// <see cref="HoldingAt"/>).
    /// </summary>
    public ReadOnlySpan<ulong> Bits => _bits;

    public ReadOnlySpan<int> Qualifiers => _qualifiers;

    /// <summary>A stored qualifier as the holding it stands for.</summary>
    public static Holding HoldingAt(int qualifier) => new(qualifier >= 0 ? qualifier : null, qualifier == Unlimited);

    public bool TryGet(int index, out Holding holding)
    {
        var word = index >> 6;
        if ((uint)word >= (uint)_bits.Length || (_bits[word] & (1UL << index)) == 0)
        {
            holding = default;
            return false;
        }
        var rank = System.Numerics.BitOperations.PopCount(_bits[word] & ((1UL << index) - 1));
        for (var w = 0; w < word; w++)
            rank += System.Numerics.BitOperations.PopCount(_bits[w]);
        holding = HoldingAt(_qualifiers[rank]);
        return true;
    }
}
