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
/// Every grant a user has, judged by the tier, type and time-box rules: to compile holdings and to explain.
/// </summary>
internal sealed partial class TenantAccess
{
    /// <summary>
    /// The user's valid tenant-wide holdings: the grants <see cref="Grants"/> finds valid, combined per feature, judged
    /// without listing each grant with its reasons (a load does this for every user: ~120 grants each, 20,000 users).
    /// The listing and explanation tests hold the two equal.
    /// </summary>
    private Holdings CompileHoldings(UserAccessFacts facts, UserAccess access, DateTimeOffset now)
    {
        // Being a System Manager is itself a grant; it counts when in force (it may always be held: an administrator
        // gave it).
        var isSystemManager = false;
        foreach (var g in access.Grants)
            isSystemManager |=
                g.FeatureCode == RolesModule.SystemManager && Validity.Covers(g.ValidFrom, g.ValidUntil, now);
        foreach (var r in access.Roles)
            isSystemManager |=
                _roles.TryGetValue(r.RoleId, out var role)
                && role.GrantOf(_systemManagerIndex) >= 0
                && Validity.Covers(r.ValidFrom, r.ValidUntil, now);
        var held = _putScratch.AsSpan(0, _features.Length);
        held.Clear();
        foreach (var g in access.Grants)
            if (
                _index.TryGetValue(g.FeatureCode, out var index)
                && Validity.Covers(g.ValidFrom, g.ValidUntil, now)
                && MayHold(_features[index])
            )
                held[index] = Holding.Combine(held[index], Holding.Of(g.Qualifier, _features[index]));
        foreach (var r in access.Roles)
        {
            if (!_roles.TryGetValue(r.RoleId, out var role) || !Validity.Covers(r.ValidFrom, r.ValidUntil, now))
                continue;
            var (indices, gives) = (role.Indices, role.Gives);
            for (var i = 0; i < indices.Length; i++)
                if (indices[i] is var index and >= 0 && MayHold(_features[index]))
                    held[index] = Holding.Combine(held[index], gives[i]);
        }
        return Holdings.Of(held);

        bool MayHold(SecureFeature feature) =>
            feature.Active && Rules.WhyNotHeld(feature, facts, isSystemManager) is null;
    }

    /// <summary>
    /// One grant judged for the user; <c>Position</c> is its place in the role's (or the user's direct) grants;
    /// <c>Why</c> and <c>WhyCode</c> say why it does not apply (null: it does); <c>Until</c>: the end of its time box,
    /// if any.
    /// </summary>
    internal readonly record struct Source(
        SecureFeature Feature,
        int Index,
        Role? Role,
        int Position,
        Guid? SalePointId,
        int? Qualifier,
        Holding Holding,
        string? Why,
        string? WhyCode = null,
        DateTimeOffset? Until = null,
        string? TimeBox = null
    );

    /// <summary>
    /// Every grant the user has (direct, tenant-wide roles, and the role at <paramref name="salePointId"/>), each
    /// judged by the tier and type rules against the user's facts now. Used to compile holdings and to explain a
    /// decision; an explanation passes <paramref name="only"/> to judge just the grants of that feature; a hot caller
    /// passes a list to reuse; a preview passes <paramref name="instead"/>, a role's proposed version.
    /// </summary>
    /// <summary>
    /// Every grant the user has, tenant-wide and at the sale point: what a listing or a comparison walks.
    /// </summary>
    public List<Source> Grants(UserEntry user, Guid? salePointId, List<Source>? into = null) =>
        Compile(user, salePointId, null, into, null);

    /// <summary>
    /// The user's grants of one feature (and the System Manager grant the tier rules need): what an explanation reads.
    /// </summary>
    public List<Source> GrantsOf(UserEntry user, Guid? salePointId, string feature, List<Source>? into = null) =>
        Compile(user, salePointId, feature, into, null);

    /// <summary>
    /// Every grant as it would be with a role's proposed version in place of the one in force: a preview.
    /// </summary>
    public List<Source> GrantsWith(UserEntry user, Guid? salePointId, CompiledRole proposed) =>
        Compile(user, salePointId, null, null, proposed);

    private List<Source> Compile(
        UserEntry user,
        Guid? salePointId,
        string? only,
        List<Source>? into,
        CompiledRole? instead
    )
    {
        var (facts, access) = (user.Facts, user.Access);
        var sources = into ?? new List<Source>(only is null ? access.Grants.Count + access.Roles.Count * 40 : 4);
        sources.Clear();
        // Being a System Manager is itself a grant; it counts when it may be held (it always may: an administrator gave
        // it).
        var isSystemManager = false;
        var now = Now;
        var onlyIndex = only is null ? -1 : IndexOf(only);
        // A time-boxed grant outside its window is listed with the reason, so an explanation can say it lapsed or has
        // not begun.
        void Add(Grant grant, Role? role, int position, Guid? salePoint)
        {
            var timeBox = Validity.WhyNot(grant.ValidFrom, grant.ValidUntil, now);
            if (grant.FeatureCode == RolesModule.SystemManager)
                isSystemManager |= timeBox is null;
            else if (only is not null && grant.FeatureCode != only)
                return;
            if (_index.TryGetValue(grant.FeatureCode, out var index))
                sources.Add(
                    new Source(
                        _features[index],
                        index,
                        role,
                        position,
                        salePoint,
                        grant.Qualifier,
                        default,
                        null,
                        null,
                        grant.ValidUntil,
                        timeBox is null ? null : $"The direct grant {timeBox}."
                    )
                );
        }
        for (var i = 0; i < access.Grants.Count; i++)
            Add(access.Grants[i], null, i, null);
        foreach (var assignment in access.Roles)
            AddRole(assignment.RoleId, null, assignment.ValidFrom, assignment.ValidUntil);
        if (salePointId is { } here)
            foreach (var at in user.Locations.SalePoints)
                if (at.SalePointId == here)
                    AddRole(at.RoleId, here, at.ValidFrom, at.ValidUntil);
        void AddRole(Guid roleId, Guid? salePoint, DateTimeOffset? from, DateTimeOffset? until)
        {
            var notNow = Validity.WhyNot(from, until, now);
            // A preview compiles a role's proposed version in place of the one in force.
            var role = instead is not null && instead.Role.Id == roleId ? instead : _roles.GetValueOrDefault(roleId);
            if (role is null)
                return;
            var (compiled, indices) = (role.Role, role.Indices);
            var timeBox = notNow is null
                ? null
                : $"The user's role '{compiled.Name}'{(salePoint is null ? "" : " at this sale point")} {notNow}.";
            if (only is not null)
            {
                // An explanation reads just the asked feature's grant and the System Manager grant, found by index:
                // reading every grant of every role the user holds was most of a decision's time (cache misses on each
                // grant).
                isSystemManager |= notNow is null && role.GrantOf(_systemManagerIndex) >= 0;
                if (role.GrantOf(onlyIndex) is var at and >= 0)
                    sources.Add(
                        new Source(
                            _features[onlyIndex],
                            onlyIndex,
                            compiled,
                            at,
                            salePoint,
                            compiled.Grants[at].Qualifier,
                            default,
                            null,
                            null,
                            until,
                            timeBox
                        )
                    );
                return;
            }
            for (var i = 0; i < compiled.Grants.Count; i++)
            {
                var grant = compiled.Grants[i];
                if (indices[i] == _systemManagerIndex)
                    isSystemManager |= notNow is null;
                if (indices[i] >= 0)
                    sources.Add(
                        new Source(
                            _features[indices[i]],
                            indices[i],
                            compiled,
                            i,
                            salePoint,
                            grant.Qualifier,
                            default,
                            null,
                            null,
                            until,
                            timeBox
                        )
                    );
            }
        }
        if (only is not null && only != RolesModule.SystemManager)
            sources.RemoveAll(s => s.Feature.Code == RolesModule.SystemManager);
        for (var i = 0; i < sources.Count; i++)
        {
            var r = sources[i];
            var (why, code) =
                r.TimeBox is { } timeBox ? (timeBox, "time-box")
                : !r.Feature.Active ? ($"'{r.Feature.Name}' is not active yet.", "feature-inactive")
                : Rules.WhyNotHeld(r.Feature, facts, isSystemManager) is { } rule
                    ? (
                        rule,
                        r.Feature.UserTypes is not null && r.Feature.Tier is Tier.None or Tier.HostCompanyManager
                            ? "user-type"
                            : "tier"
                    )
                : (null, null);
            sources[i] = r with { Holding = Holding.Of(r.Qualifier, r.Feature), Why = why, WhyCode = code };
        }
        return sources;
    }

    /// <summary>
    /// The user's assignment to the sale point, if any, and why it does not apply now (null: it does).
    /// </summary>
    public (SalePointRole? Assignment, string? WhyNot) AssignmentAt(UserEntry user, Guid salePointId)
    {
        foreach (var s in user.Locations.SalePoints)
            if (s.SalePointId == salePointId)
                return (s, Validity.WhyNot(s.ValidFrom, s.ValidUntil, Now));
        return (null, null);
    }

    public bool IsSystemManager(UserEntry user) =>
        user.Facts.IsSystemAdministrator
        || (_index.TryGetValue(RolesModule.SystemManager, out var i) && user.Holdings.TryGet(i, out _));
}
