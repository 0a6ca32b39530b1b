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
/// One tenant as the engine knows it: the feature index, the compiled roles, every user known so far with their
/// compiled holdings, the places; kept current by <see cref="RefreshAsync"/> (what commits marked stale) and by the
/// clock.
/// </summary>
internal sealed partial class TenantAccess
{
    private readonly object _write = new();
    private readonly FeatureCatalogue _catalogue;

    // The tenant's features: the catalogue, then its own in order of creation, so an index only ever grows (a removed
    // one was held by nobody). Tiers are the catalogue's unless the tenant raised them (ADR 0029).
    private SecureFeature[] _features = [];
    private IReadOnlyList<CustomFeature> _custom = [];
    private IReadOnlyDictionary<string, Tier> _tiers = FrozenDictionary<string, Tier>.Empty;
    private FrozenSet<Guid> _customIds = FrozenSet<Guid>.Empty;
    private FrozenDictionary<string, int> _index = FrozenDictionary<string, int>.Empty;
    private int _systemManagerIndex = -2;

    // Each role with the feature index of each of its grants (-1: not a feature of the tenant), so deciding never
    // hashes codes.
    private readonly ConcurrentDictionary<Guid, CompiledRole> _roles = new();
    private readonly ConcurrentDictionary<Guid, UserEntry> _users = new();

    // A user's streams in this module and in Sale Points, to the user: a commit names streams, the engine reloads
    // users.
    private readonly ConcurrentDictionary<Guid, Guid> _streamToUser = new();
    private FrozenDictionary<Guid, LocationFacts> _locations = FrozenDictionary<Guid, LocationFacts>.Empty;
    private readonly ConcurrentDictionary<Guid, byte> _stale = new();
    private readonly TimeProvider? _clock;

    // The earliest instant at which some user's time-boxed grant begins or lapses (UTC ticks; the largest instant:
    // none).
    private static readonly long Never = DateTimeOffset.MaxValue.UtcTicks;
    private long _nextChange = Never;

    public string Tenant { get; }

    /// <summary>
    /// The instant of a past state (time travel), or null for the live tenant, which follows the clock.
    /// </summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>The instant decisions are judged at: time-boxed grants apply or not at this instant.</summary>
    public DateTimeOffset Now => AsOf ?? _clock!.GetUtcNow();

    public TenantAccess(
        string tenant,
        FeatureCatalogue catalogue,
        IReadOnlyList<CustomFeature> custom,
        IReadOnlyDictionary<string, Tier> tiers,
        IEnumerable<Role> roles,
        IEnumerable<UserAccess> access,
        IEnumerable<UserAccessFacts> facts,
        IEnumerable<LocationFacts> locations,
        IEnumerable<UserLocationFacts> userLocations,
        DateTimeOffset? asOf,
        TimeProvider? clock = null
    )
    {
        Tenant = tenant;
        AsOf = asOf;
        _clock = clock;
        _catalogue = catalogue;
        _tiers = tiers;
        Index(custom);
        _locations = locations.ToFrozenDictionary(l => l.Id);
        foreach (var role in roles)
            PutRole(role);
        var byUser = access.ToDictionary(a => a.UserId);
        var locationsByUser = userLocations.ToDictionary(l => l.UserId);
        foreach (var f in facts)
            Put(
                f,
                byUser.GetValueOrDefault(f.UserId) ?? UserAccess.Empty(f.UserId),
                locationsByUser.GetValueOrDefault(f.UserId) ?? NoLocations(f.UserId)
            );
    }

    private static UserLocationFacts NoLocations(Guid userId) => new(userId, [], [], null);

    /// <summary>
    /// A sale point or store of the tenant; an unknown id rereads them first (one may have been created since).
    /// </summary>
    public async ValueTask<LocationFacts?> LocationAsync(AccessEngine engine, Guid id, CancellationToken ct)
    {
        if (_locations.TryGetValue(id, out var known) || AsOf is not null)
            return known;
        _locations = (await engine.AskAsync(Tenant, new GetLocations(), ct)).ToFrozenDictionary(l => l.Id);
        return _locations.GetValueOrDefault(id);
    }

    /// <summary>A sale point's or store's code for messages (its id when it is not known).</summary>
    public string LocationCode(Guid id) => _locations.TryGetValue(id, out var place) ? place.Code : id.ToString();

    /// <summary>
    /// A sale point or store a request names; an unknown one, or one of the other kind, is a 400 naming the field.
    /// </summary>
    public async ValueTask<LocationFacts> RequireLocationAsync(
        AccessEngine engine,
        Guid id,
        bool store,
        string field,
        CancellationToken ct
    ) =>
        await LocationAsync(engine, id, ct) is { } place && place.IsStore == store
            ? place
            : throw new FieldRuleException(
                field,
                AsOf is null
                    ? $"There is no {(store ? "store" : "sale point")} '{id}' in this tenant."
                    : $"There was no {(store ? "store" : "sale point")} '{id}' in this tenant then."
            );

    /// <summary>
    /// Whether the user works at the sale point now: assigned, inside the assignment's window, the sale point active.
    /// </summary>
    public bool WorksAt(UserEntry user, LocationFacts salePoint) =>
        salePoint.IsActive && AssignmentAt(user, salePoint.Id) is ({ }, null);

    public bool HasStale => !_stale.IsEmpty;

    public DateTimeOffset NextChange => new(Interlocked.Read(ref _nextChange), TimeSpan.Zero);

    /// <summary>
    /// Compiles again the users whose time-boxed grants began or lapsed by now. Nothing is reread: what they hold is
    /// the same, only the instant it is judged at moved.
    /// </summary>
    public void RecompileDue()
    {
        lock (_write)
        {
            var now = Now;
            Interlocked.Exchange(ref _nextChange, Never);
            foreach (var user in _users.Values)
            {
                if (user.NextChange is not { } next)
                    continue;
                if (next <= now)
                    Put(user.Facts, user.Access, user.Locations);
                else
                    Earliest(next);
            }
        }
    }

    private void Earliest(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        for (var seen = Interlocked.Read(ref _nextChange); ticks < seen; seen = Interlocked.Read(ref _nextChange))
            if (Interlocked.CompareExchange(ref _nextChange, ticks, seen) == seen)
                return;
    }

    public SecureFeature? Feature(string code) => _index.TryGetValue(code, out var i) ? _features[i] : null;

    public int FeatureCount => _features.Length;

    public IEnumerable<SecureFeature> Features => _features;

    /// <summary>Whether the tenant ever gave a feature a tier (its record of tiers exists).</summary>
    public bool TiersGiven => _tiers.Count > 0;

    /// <summary>The tenant's own features as stored (a past state takes them from the live one).</summary>
    public IReadOnlyList<CustomFeature> Custom => _custom;

    /// <summary>
    /// Rebuilds the feature index; true when a known feature moved or changed its tier or activity, so compiled
    /// holdings must be rebuilt.
    /// </summary>
    private bool Index(IReadOnlyList<CustomFeature> custom)
    {
        _custom = custom;
        _customIds = custom.Select(c => c.Id).ToFrozenSet();
        var features = _catalogue
            .Features.Select(f =>
                _tiers.TryGetValue(f.Code, out var tier) && tier > f.Tier ? f with { Tier = tier } : f
            )
            .Concat(custom.Where(c => !c.Removed).Select(c => c.ToFeature(_tiers.GetValueOrDefault(c.Code))))
            .ToArray();
        var moved = _features
            .Select((f, i) => (f, i))
            .Any(x =>
                x.i >= features.Length
                || features[x.i].Code != x.f.Code
                || features[x.i].Tier != x.f.Tier
                || features[x.i].Active != x.f.Active
            );
        _index = features.Select((f, i) => KeyValuePair.Create(f.Code, i)).ToFrozenDictionary();
        _features = features;
        _systemManagerIndex = _index.GetValueOrDefault(RolesModule.SystemManager, -2);
        // A role may name a feature that was unknown until now (a custom one): its grants are mapped again.
        foreach (var compiled in _roles.Values)
            PutRole(compiled.Role);
        return moved;
    }

    public Role? Role(Guid id) => _roles.TryGetValue(id, out var role) ? role.Role : null;

    public CompiledRole? Compiled(Guid id) => _roles.GetValueOrDefault(id);

    /// <summary>A role as it would be compiled now, without putting it in the tenant (a preview of an edit).</summary>
    public CompiledRole CompileRole(Role role) => new(role, _index, _features);

    public SecureFeature FeatureAt(int index) => _features[index];

    public int IndexOf(string code) => _index.GetValueOrDefault(code, -1);

    /// <summary>
    /// The role, loaded on first mention (a role created since the tenant was loaded and held by nobody yet).
    /// </summary>
    public async ValueTask<Role?> RoleAsync(AccessEngine engine, Guid id, CancellationToken ct)
    {
        if (Role(id) is { } known)
            return known;
        if (AsOf is not null)
            return null;
        _stale[id] = 0;
        await RefreshAsync(engine, ct);
        return Role(id);
    }

    public IEnumerable<Role> Roles => _roles.Values.Select(r => r.Role);

    private void PutRole(Role role) => _roles[role.Id] = new CompiledRole(role, _index, _features);

    public UserEntry? User(Guid id) => _users.GetValueOrDefault(id);

    public IEnumerable<UserEntry> Users => _users.Values;

    /// <summary>
    /// Every user of the tenant (reports, "who holds it"): users created since the tenant was loaded and never asked
    /// about are loaded first. A past state holds every user it was built for already.
    /// </summary>
    public async Task<IReadOnlyList<UserEntry>> AllUsersAsync(AccessEngine engine, CancellationToken ct)
    {
        if (AsOf is null)
        {
            var known = await engine.AskAsync(Tenant, new GetUserAccessFacts(null), ct);
            var missing = known.Where(f => !_users.ContainsKey(f.UserId)).ToList();
            foreach (var f in missing)
                _stale[f.UserId] = 0;
            if (missing.Count > 0)
                await RefreshAsync(engine, ct);
        }
        return [.. _users.Values];
    }

    /// <summary>
    /// The hot path: does the user hold the feature (tenant-wide) at the qualifier? No allocation, no I/O.
    /// </summary>
    public bool Holds(Guid userId, string feature, int? minQualifier = null) =>
        _index.TryGetValue(feature, out var index)
        && _users.TryGetValue(userId, out var user)
        && user.Facts.IsActive
        && user.Holdings.TryGet(index, out var holding)
        && holding.Meets(minQualifier);

    /// <summary>Users who hold the role tenant-wide (giving it loads the user, so every holder is known).</summary>
    public IEnumerable<UserEntry> HoldersOf(Guid roleId) =>
        _users.Values.Where(u => u.Access.Roles.Any(r => r.RoleId == roleId));

    /// <summary>Whether the caller may ask about other users' rights (services, and whoever manages rights).</summary>
    public bool MayAskAboutOthers(Guid caller) =>
        Holds(caller, RolesModule.CheckAuthorization)
        || Holds(caller, RolesModule.MaintainRoles)
        || Holds(caller, RolesModule.BackOfficeUsers);

    /// <summary>The caller who gives a role or feature: tier rules are judged against them.</summary>
    public async ValueTask<UserEntry> GranterAsync(AccessEngine engine, Guid caller, CancellationToken ct) =>
        await UserAsync(engine, caller, ct) ?? throw new ForbiddenException("Your user is not known in this tenant.");

    /// <summary>
    /// Giving a role is giving each of its features: refused (403, naming the rule) when one is past the granter's
    /// tier, or, with the tenant's "grant only what you hold" on, when the granter does not hold it at that level.
    /// </summary>
    public void RequireGivable(Role role, UserEntry granter, bool onlyWhatYouHold)
    {
        foreach (var grant in role.Grants)
            if (
                Feature(grant.FeatureCode) is { } feature
                && (
                    Rules.WhyNotGrantable(feature, granter.Facts, IsSystemManager(granter))
                    ?? (onlyWhatYouHold ? WhyNotHeldByGranter(granter, feature, grant.Qualifier) : null)
                )
                    is { } why
            )
                throw new ForbiddenException($"Role '{role.Name}' cannot be given by you: {why}");
    }

    /// <summary>
    /// Seed 001: a role with features limited to System Administrators is only for them, one with features limited to
    /// System Managers only for System Managers (a role that itself makes its holder one counts). Given to anyone
    /// else such a feature would silently do nothing (issue #23). Null: <paramref name="holder"/> may hold the role.
    /// </summary>
    public string? WhyNotHoldable(
        string roleName,
        IEnumerable<string> featureCodes,
        UserAccessFacts holder,
        bool holderIsSystemManager
    )
    {
        var codes = featureCodes.ToList();
        var manager = holderIsSystemManager || codes.Contains(RolesModule.SystemManager);
        var why = codes
            .Select(Feature)
            .OfType<SecureFeature>()
            .Where(IsTierLimited)
            .Select(f => Rules.WhyNotHeld(f, holder, manager))
            .OfType<string>()
            .ToList();
        return why.Count == 0 ? null : $"Role '{roleName}' cannot be given to {holder.Name}: {string.Join(" ", why)}";
    }

    /// <summary>Refuses (409) giving the role to a user it is not for (<see cref="WhyNotHoldable"/>).</summary>
    public void RequireHoldable(Role role, UserAccessFacts holder, bool holderIsSystemManager)
    {
        if (WhyNotHoldable(role.Name, role.Grants.Select(g => g.FeatureCode), holder, holderIsSystemManager) is { } why)
            throw new ConflictException(why);
    }

    /// <summary>
    /// Whether the features include one limited to a tier: only then may a holder not be one a role is for, so only
    /// then are holders looked up (an imported user, not loaded yet, would cost a round trip each).
    /// </summary>
    public bool AnyTierLimited(IEnumerable<string> featureCodes) =>
        featureCodes.Any(code => Feature(code) is { } feature && IsTierLimited(feature));

    /// <summary>
    /// Whether a role edit from <paramref name="before"/> to <paramref name="after"/> may leave a holder with a role
    /// not for them: it adds a feature, and the role then holds one limited to a tier (issue #23).
    /// </summary>
    public bool EditMayRefuseHolders(IEnumerable<string> before, IReadOnlyCollection<string> after) =>
        after.Except(before).Any() && AnyTierLimited(after);

    private static bool IsTierLimited(SecureFeature feature) =>
        feature.Tier is Tier.SystemAdministrator or Tier.SystemManager;

    /// <summary>
    /// "Grant only what you hold" (issue #6): why the granter may not give the feature at this qualifier (null: they
    /// may). System Administrators, the top tier, are not bound by it.
    /// </summary>
    public string? WhyNotHeldByGranter(UserEntry granter, SecureFeature feature, int? qualifier)
    {
        if (granter.Facts.IsSystemAdministrator)
            return null;
        const string rule = "'Grant only what you hold' is on in this tenant";
        if (!granter.Holdings.TryGet(IndexOf(feature.Code), out var held))
            return $"{rule}: you cannot give '{feature.Name}' because you do not hold it yourself.";
        if (held.Unlimited)
            return null;
        var own = held.Qualifier is { } q ? $"you hold it with qualifier {q}" : "you hold it without a qualifier";
        if (Holding.Of(qualifier, feature).Unlimited)
            return $"{rule}: you cannot give '{feature.Name}' without a limit; {own}.";
        if (qualifier is { } wanted && (held.Qualifier ?? 0) < wanted)
            return $"{rule}: you cannot give '{feature.Name}' with qualifier {wanted}; {own}.";
        return null;
    }

    // The tenant's feature settings that are on (ADR 0028): read when first needed, again after a commit to them.
    private IReadOnlySet<string>? _settingsOn;
    private int _settingsChanges;

    public async ValueTask<IReadOnlySet<string>> SettingsOnAsync(AccessEngine engine, CancellationToken ct)
    {
        if (_settingsOn is { } known)
            return known;
        var changes = Volatile.Read(ref _settingsChanges);
        var on = await engine.SettingsOnAsync(Tenant, AsOf, ct);
        // A commit to the settings while they were read leaves them to be read again, never the older answer kept.
        if (changes == Volatile.Read(ref _settingsChanges))
            _settingsOn = on;
        return on;
    }

    public void MarkStale(IReadOnlyList<Guid> streams)
    {
        // A tier given or a custom feature changed: the features are read again at the next decision.
        if (streams.Any(id => id == FeatureTiers.StreamId || _customIds.Contains(id)))
            _stale[FeatureTiers.StreamId] = 0;
        if (streams.Contains(Settings.FeatureSettings.StreamId))
        {
            Interlocked.Increment(ref _settingsChanges);
            _settingsOn = null;
        }
        // Streams the engine does not know (other modules' records, users never asked about) cost nothing: unknown
        // users are loaded when first asked about, unknown roles when a known user's grants name them.
        foreach (var id in streams)
            if (
                _roles.ContainsKey(id)
                || _users.ContainsKey(id)
                || _streamToUser.ContainsKey(id)
                || _locations.ContainsKey(id)
            )
                _stale[id] = 0;
    }

    /// <summary>
    /// The user, loaded on first mention (a user created since the tenant was loaded); null when Identity has no such
    /// user.
    /// </summary>
    public async ValueTask<UserEntry?> UserAsync(AccessEngine engine, Guid userId, CancellationToken ct)
    {
        // A past state holds every user asked about who existed then: one it does not hold did not exist.
        if (_users.TryGetValue(userId, out var known) || AsOf is not null)
            return known;
        _stale[userId] = 0;
        await RefreshAsync(engine, ct);
        return _users.GetValueOrDefault(userId);
    }

    /// <summary>The users not known yet, loaded together (a bulk change would otherwise load one per row).</summary>
    public async Task LoadUsersAsync(AccessEngine engine, IEnumerable<Guid> userIds, CancellationToken ct)
    {
        if (AsOf is not null)
            return;
        foreach (var id in userIds)
            if (!_users.ContainsKey(id))
                _stale[id] = 0;
        await RefreshAsync(engine, ct);
    }

    /// <summary>
    /// Custom features are few and rarely added: an unknown code rereads them before it is called unknown.
    /// </summary>
    public async ValueTask<SecureFeature?> FeatureAsync(AccessEngine engine, string code, CancellationToken ct)
    {
        if (Feature(code) is { } known)
            return known;
        var (_, _, custom, _) = await engine.ReloadAsync(Tenant, [], [], false, ct);
        lock (_write)
            if (Index(custom))
                foreach (var user in _users.Values)
                    Put(user.Facts, user.Access, user.Locations);
        return Feature(code);
    }

    /// <summary>
    /// Reloads what commits marked stale: roles (recompiling their holders), users' grants, users' facts.
    /// </summary>
    public async Task RefreshAsync(AccessEngine engine, CancellationToken ct)
    {
        // Taken off first: a commit marking an id again while this reload runs makes the next decision reload it once
        // more.
        var ids = _stale.Keys.ToList();
        if (ids.Count == 0)
            return;
        foreach (var id in ids)
            _stale.TryRemove(id, out _);
        OrderStream.BuildingBlocks.Telemetry.EngineReloads.Add(1);
        try
        {
            await ReloadAsync(engine, ids, ct);
        }
        catch
        {
            foreach (var id in ids)
                _stale[id] = 0;
            throw;
        }
    }

    private async Task ReloadAsync(AccessEngine engine, List<Guid> ids, CancellationToken ct)
    {
        // Any id may be a role, a user-access stream or a user: each kind of lookup ignores ids that are not its kind.
        var userIds = ids.Select(id => _streamToUser.TryGetValue(id, out var user) ? user : id).Distinct().ToList();
        var (roles, access, custom, tiers) = await engine.ReloadAsync(
            Tenant,
            ids,
            userIds.Select(UserAccess.StreamId).ToList(),
            ids.Contains(FeatureTiers.StreamId),
            ct
        );
        var userLocations = await engine.AskAsync(Tenant, new GetUserLocations(userIds), ct);
        var missing = access
            .SelectMany(a => a.Roles)
            .Select(r => r.RoleId)
            .Concat(userLocations.SelectMany(l => l.SalePoints).Select(s => s.RoleId))
            .Where(id => !_roles.ContainsKey(id) && roles.All(r => r.Id != id))
            .Distinct()
            .ToList();
        if (missing.Count > 0)
            roles = [.. roles, .. (await engine.ReloadAsync(Tenant, missing, [], false, ct)).Roles];
        // Locations are few: a change to one, or an assignment naming one not known yet, rereads them all.
        if (
            ids.Any(_locations.ContainsKey)
            || userLocations.Any(l =>
                l.SalePoints.Any(s => !_locations.ContainsKey(s.SalePointId))
                || l.StoreIds.Any(s => !_locations.ContainsKey(s))
            )
        )
            _locations = (await engine.AskAsync(Tenant, new GetLocations(), ct)).ToFrozenDictionary(l => l.Id);
        var facts = await engine.AskAsync(Tenant, new GetUserAccessFacts(userIds), ct);
        lock (_write)
        {
            _tiers = tiers ?? _tiers;
            var recompile = Index(custom) ? _users.Keys.ToHashSet() : [];
            foreach (var role in roles)
            {
                if (role.IsDeleted)
                    _roles.TryRemove(role.Id, out _);
                else
                    PutRole(role);
                recompile.UnionWith(HoldersOf(role.Id).Select(u => u.Facts.UserId));
            }
            var accessByUser = access.ToDictionary(a => a.UserId);
            var locationsByUser = userLocations.ToDictionary(l => l.UserId);
            foreach (var f in facts)
            {
                Put(
                    f,
                    accessByUser.GetValueOrDefault(f.UserId)
                        ?? _users.GetValueOrDefault(f.UserId)?.Access
                        ?? UserAccess.Empty(f.UserId),
                    locationsByUser.GetValueOrDefault(f.UserId) ?? NoLocations(f.UserId)
                );
                recompile.Remove(f.UserId);
            }
            foreach (var id in recompile)
                if (_users.TryGetValue(id, out var user))
                    Put(user.Facts, user.Access, user.Locations);
        }
    }

    // Put runs in the constructor or under _write only, so its buffer is never shared.
    private Holding?[] _putScratch = [];

    private void Put(UserAccessFacts facts, UserAccess access, UserLocationFacts locations)
    {
        _streamToUser[access.Id == Guid.Empty ? UserAccess.StreamId(facts.UserId) : access.Id] = facts.UserId;
        _streamToUser[LocationStreams.OfUser(facts.UserId)] = facts.UserId;
        if (_putScratch.Length < _features.Length)
            _putScratch = new Holding?[_features.Length];
        var now = Now;
        DateTimeOffset? next = null;
        var boxed = false;
        foreach (var r in access.Roles)
        {
            next = Validity.NextChange(next, r.ValidFrom, r.ValidUntil, now);
            boxed |= r.ValidFrom is not null || r.ValidUntil is not null;
        }
        foreach (var g in access.Grants)
        {
            next = Validity.NextChange(next, g.ValidFrom, g.ValidUntil, now);
            boxed |= g.ValidFrom is not null || g.ValidUntil is not null;
        }
        foreach (var s in locations.SalePoints)
            next = Validity.NextChange(next, s.ValidFrom, s.ValidUntil, now);
        if (next is { } change)
            Earliest(change);
        _users[facts.UserId] = new UserEntry(
            facts,
            access,
            locations,
            CompileHoldings(facts, access, now),
            next,
            boxed
        );
    }
}
