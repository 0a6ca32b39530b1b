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

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// Decisions from memory (ADR 0010): per tenant, every user's tenant-wide holdings compiled into one frozen dictionary,
/// with each user's sale points (and role there) and stores from the Sale Points module's contracts; loaded at start-up
/// (<see cref="EngineWarmUp"/>), a tenant created later (or whose load failed) on first use.
/// A commit that touches a role, a user's grants, locations or the user (Identity), or a location, on this instance or on
/// another one (<see cref="OrderStream.BuildingBlocks.Persistence.CommittedStreams"/>), marks just that entry stale; the
/// next decision of the tenant reloads the stale entries and recompiles only the users they concern.
/// </summary>
internal sealed class AccessEngine
{
    private readonly IDocumentStore _store;
    private readonly IServiceScopeFactory _scopes;
    private readonly FeatureCatalogue _catalogue;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Lazy<Task<TenantAccess>>> _tenants = new();

    public AccessEngine(IDocumentStore store, IServiceScopeFactory scopes, FeatureCatalogue catalogue, OrderStream.BuildingBlocks.Persistence.CommittedStreams committed,
        TimeProvider clock)
    {
        _store = store;
        _scopes = scopes;
        _catalogue = catalogue;
        _clock = clock;
        committed.Committed += (tenant, streams) =>
        {
            if (_tenants.TryGetValue(tenant, out var loading) && loading.IsValueCreated && loading.Value.IsCompletedSuccessfully)
                loading.Value.Result.MarkStale(streams);
        };
        committed.Resynchronise += () => _tenants.Clear();
    }

    /// <summary>The tenant's access, up to date with every commit made on this instance.</summary>
    public async Task<TenantAccess> TenantAsync(string tenant, CancellationToken ct)
    {
        var lazy = _tenants.GetOrAdd(tenant, t => new Lazy<Task<TenantAccess>>(() => LoadAsync(t)));
        TenantAccess access;
        try { access = await lazy.Value.WaitAsync(ct); }
        catch when (!ct.IsCancellationRequested)
        {
            _tenants.TryRemove(new KeyValuePair<string, Lazy<Task<TenantAccess>>>(tenant, lazy)); // a failed load is tried again next time
            throw;
        }
        // A time-boxed grant that began or lapsed since the holders were compiled: those users are compiled again.
        if (access.NextChange <= _clock.GetUtcNow()) access.RecompileDue();
        if (access.HasStale) await access.RefreshAsync(this, ct);
        return access;
    }

    /// <summary>Whether the tenant is in memory (loaded, not failed), so its next decision reads nothing.</summary>
    public bool IsLoaded(string tenant) =>
        _tenants.TryGetValue(tenant, out var loading) && loading.IsValueCreated && loading.Value.IsCompletedSuccessfully;

    /// <summary>
    /// The tenant as it was at <paramref name="asOf"/> (issue #6's time travel), rebuilt from the event history of the users
    /// asked about (null: every user) and of the roles they held then: grants, roles, sale points, the users' facts, and
    /// time-boxed grants judged at that instant. Built for the question and thrown away; nothing of it is cached.
    /// </summary>
    public async Task<TenantAccess> AsOfAsync(string tenant, DateTimeOffset asOf, IReadOnlyList<Guid>? userIds, CancellationToken ct)
    {
        var facts = AskAsync(tenant, new GetUserAccessFacts(userIds, asOf), ct);
        var locations = AskAsync(tenant, new GetLocations(asOf), ct);
        var userLocations = AskAsync(tenant, new GetUserLocations(userIds, asOf), ct);
        await using var session = _store.QuerySession(tenant);
        var access = (await StreamHistory.AsOfAsync<UserAccess>(session, userIds?.Select(UserAccess.StreamId).ToList(), asOf, ct)).Values;
        var roleIds = userIds is null ? null
            : access.SelectMany(a => a.Roles).Select(r => r.RoleId).Concat((await userLocations).SelectMany(l => l.SalePoints).Select(s => s.RoleId)).Distinct().ToList();
        var roles = (await StreamHistory.AsOfAsync<Role>(session, roleIds, asOf, ct)).Values.Where(r => !r.IsDeleted);
        // The tenant's own features as the live state knows them (they are never removed): the same feature index, no reread.
        var custom = (await TenantAsync(tenant, ct)).Features.Skip(_catalogue.Features.Count);
        return new TenantAccess(tenant, _catalogue, custom, roles, access, await facts, await locations, await userLocations, asOf);
    }

    private async Task<TenantAccess> LoadAsync(string tenant)
    {
        // Identity's facts, Sale Points' records and this module's: every read at once, each on its own connection (on one
        // session, this module's three reads waited for each other: 150 ms of a first load).
        var facts = AskAsync(tenant, new GetUserAccessFacts(null), CancellationToken.None);
        var locations = AskAsync(tenant, new GetLocations(), CancellationToken.None);
        var userLocations = AskAsync(tenant, new GetUserLocations(null), CancellationToken.None);
        var roles = ReadAsync(tenant, s => s.Query<Role>().Where(r => !r.IsDeleted).ToListAsync());
        var access = ReadAsync(tenant, s => s.Query<UserAccess>().ToListAsync());
        var custom = ReadAsync(tenant, s => s.Query<CustomFeature>().OrderBy(c => c.Id).ToListAsync());
        return new TenantAccess(tenant, _catalogue, (await custom).Select(c => c.ToFeature()), await roles, await access, await facts, await locations, await userLocations, null, _clock);
    }

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string tenant, Func<IQuerySession, Task<IReadOnlyList<T>>> read)
    {
        await using var session = _store.QuerySession(tenant);
        return await read(session);
    }

    /// <summary>Another module's published contract, answered in a scope of the tenant.</summary>
    internal async Task<T> AskAsync<T>(string tenant, IRequest<T> request, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, ct);
    }

    internal async Task<(IReadOnlyList<Role> Roles, IReadOnlyList<UserAccess> Access, IReadOnlyList<CustomFeature> Custom)> ReloadAsync(
        string tenant, IReadOnlyCollection<Guid> roleIds, IReadOnlyCollection<Guid> accessIds, CancellationToken ct)
    {
        await using var session = _store.QuerySession(tenant);
        var roles = roleIds.Count == 0 ? [] : await session.LoadManyAsync<Role>(ct, roleIds);
        var access = accessIds.Count == 0 ? [] : await session.LoadManyAsync<UserAccess>(ct, accessIds);
        var custom = await session.Query<CustomFeature>().OrderBy(c => c.Id).ToListAsync(ct);
        return (roles, access, custom);
    }
}

/// <summary>
/// A role as the engine uses it: the feature index of each grant (-1: not a feature of the tenant), so deciding never
/// hashes codes; and for listing, its grants sorted by feature index, each as the listed permission of a user who holds
/// the feature through that grant alone, so a listing merges the user's roles without sorting and, for a feature one role
/// gives (most of them), without making anything.
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
    /// <summary>In <see cref="Sorted"/> order, each grant listed as the only source of its feature (null: unknown feature).</summary>
    public EffectivePermissions.Permission?[] Listed { get; }
    private readonly int[] _order;

    public CompiledRole(Role role, IReadOnlyDictionary<string, int> index, SecureFeature[] features)
    {
        Role = role;
        Indices = role.Grants.Select(g => index.TryGetValue(g.FeatureCode, out var i) ? i : -1).ToArray();
        Sources = role.Grants.Select(g => new EffectivePermissions.Source("role", role.IdText, role.Name, null, g.Qualifier)).ToArray();
        Gives = role.Grants.Select((g, i) => Indices[i] < 0 ? default : Holding.Of(g.Qualifier, features[Indices[i]])).ToArray();
        var order = _order = Enumerable.Range(0, Indices.Length).OrderBy(i => Indices[i]).ToArray();
        Sorted = order.Select(i => Indices[i]).ToArray();
        Listed = order.Select(i => Indices[i] < 0 ? null : EffectivePermissions.Listing(features[Indices[i]], Gives[i], role.Grants[i].Qualifier, [Sources[i]]))
            .ToArray();
    }

    /// <summary>The position of the role's grant of the feature at <paramref name="index"/> (-1: none).</summary>
    public int GrantOf(int index)
    {
        var place = index < 0 ? -1 : Array.BinarySearch(Sorted, index);
        return place < 0 ? -1 : _order[place];
    }
}

/// <summary>
/// One user as the engine knows them: facts from Identity, grants from this module, sale points and stores from Sale Points,
/// and the compiled tenant-wide holdings, good until <c>NextChange</c> (a time-boxed grant beginning or lapsing; null: none).
/// <c>TimeBoxed</c>: a tenant-wide role or direct grant has a window (the fast listing must then judge windows).
/// </summary>
internal sealed record UserEntry(UserAccessFacts Facts, UserAccess Access, UserLocationFacts Locations, Holdings Holdings,
    DateTimeOffset? NextChange = null, bool TimeBoxed = false);

/// <summary>
/// A user's valid holdings in a few hundred bytes: one bit per feature of the tenant's feature index, and the qualifier of
/// each feature held, in index order (20,000 users with ~100 features each fit in tens of megabytes, ADR 0010).
/// </summary>
internal sealed class Holdings
{
    private const int NoQualifier = -1, Unlimited = -2;
    private readonly ulong[] _bits;
    private readonly int[] _qualifiers;

    private Holdings(ulong[] bits, int[] qualifiers) => (_bits, _qualifiers) = (bits, qualifiers);

    /// <summary>From what the user holds, by feature index (null: not held).</summary>
    public static Holdings Of(ReadOnlySpan<Holding?> held)
    {
        int count = 0, last = -1;
        for (var index = 0; index < held.Length; index++)
            if (held[index] is not null) (count, last) = (count + 1, index);
        var bits = new ulong[last < 0 ? 0 : (last >> 6) + 1];
        var qualifiers = new int[count];
        for (int index = 0, rank = 0; index <= last; index++)
        {
            if (held[index] is not { } h) continue;
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
                yield return ((word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits), HoldingAt(_qualifiers[rank++]));
    }

    /// <summary>The raw form, for the listing's tight loop: a bit per feature index; the qualifiers held, in index order (see <see cref="HoldingAt"/>).</summary>
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
        for (var w = 0; w < word; w++) rank += System.Numerics.BitOperations.PopCount(_bits[w]);
        holding = HoldingAt(_qualifiers[rank]);
        return true;
    }
}

internal sealed class TenantAccess
{
    private readonly object _write = new();
    private readonly FeatureCatalogue _catalogue;
    // The tenant's features: the catalogue, then its own in order of creation, so an index only ever grows.
    private SecureFeature[] _features = [];
    private FrozenDictionary<string, int> _index = FrozenDictionary<string, int>.Empty;
    private int _systemManagerIndex = -2;
    // Each role with the feature index of each of its grants (-1: not a feature of the tenant), so deciding never hashes codes.
    private readonly ConcurrentDictionary<Guid, CompiledRole> _roles = new();
    private readonly ConcurrentDictionary<Guid, UserEntry> _users = new();
    // A user's streams in this module and in Sale Points, to the user: a commit names streams, the engine reloads users.
    private readonly ConcurrentDictionary<Guid, Guid> _streamToUser = new();
    private FrozenDictionary<Guid, LocationFacts> _locations = FrozenDictionary<Guid, LocationFacts>.Empty;
    private readonly ConcurrentDictionary<Guid, byte> _stale = new();
    private readonly TimeProvider? _clock;
    // The earliest instant at which some user's time-boxed grant begins or lapses (UTC ticks; the largest instant: none).
    private static readonly long Never = DateTimeOffset.MaxValue.UtcTicks;
    private long _nextChange = Never;

    public string Tenant { get; }

    /// <summary>The instant of a past state (time travel), or null for the live tenant, which follows the clock.</summary>
    public DateTimeOffset? AsOf { get; }

    /// <summary>The instant decisions are judged at: time-boxed grants apply or not at this instant.</summary>
    public DateTimeOffset Now => AsOf ?? _clock!.GetUtcNow();

    public TenantAccess(string tenant, FeatureCatalogue catalogue, IEnumerable<SecureFeature> custom, IEnumerable<Role> roles,
        IEnumerable<UserAccess> access, IEnumerable<UserAccessFacts> facts, IEnumerable<LocationFacts> locations,
        IEnumerable<UserLocationFacts> userLocations, DateTimeOffset? asOf, TimeProvider? clock = null)
    {
        Tenant = tenant;
        AsOf = asOf;
        _clock = clock;
        _catalogue = catalogue;
        Index(custom);
        _locations = locations.ToFrozenDictionary(l => l.Id);
        foreach (var role in roles) PutRole(role);
        var byUser = access.ToDictionary(a => a.UserId);
        var locationsByUser = userLocations.ToDictionary(l => l.UserId);
        foreach (var f in facts)
            Put(f, byUser.GetValueOrDefault(f.UserId) ?? UserAccess.Empty(f.UserId), locationsByUser.GetValueOrDefault(f.UserId) ?? NoLocations(f.UserId));
    }

    private static UserLocationFacts NoLocations(Guid userId) => new(userId, [], [], null);

    /// <summary>A sale point or store of the tenant; an unknown id rereads them first (one may have been created since).</summary>
    public async ValueTask<LocationFacts?> LocationAsync(AccessEngine engine, Guid id, CancellationToken ct)
    {
        if (_locations.TryGetValue(id, out var known) || AsOf is not null) return known;
        _locations = (await engine.AskAsync(Tenant, new GetLocations(), ct)).ToFrozenDictionary(l => l.Id);
        return _locations.GetValueOrDefault(id);
    }

    /// <summary>A sale point's or store's code for messages (its id when it is not known).</summary>
    public string LocationCode(Guid id) => _locations.TryGetValue(id, out var place) ? place.Code : id.ToString();

    /// <summary>A sale point or store a request names; an unknown one, or one of the other kind, is a 400 naming the field.</summary>
    public async ValueTask<LocationFacts> RequireLocationAsync(AccessEngine engine, Guid id, bool store, string field, CancellationToken ct) =>
        await LocationAsync(engine, id, ct) is { } place && place.IsStore == store ? place
            : throw new FieldRuleException(field, AsOf is null
                ? $"There is no {(store ? "store" : "sale point")} '{id}' in this tenant."
                : $"There was no {(store ? "store" : "sale point")} '{id}' in this tenant then.");

    /// <summary>Whether the user works at the sale point now: assigned, inside the assignment's window, the sale point active.</summary>
    public bool WorksAt(UserEntry user, LocationFacts salePoint) => salePoint.IsActive && AssignmentAt(user, salePoint.Id) is ({ }, null);

    public bool HasStale => !_stale.IsEmpty;

    public DateTimeOffset NextChange => new(Interlocked.Read(ref _nextChange), TimeSpan.Zero);

    /// <summary>
    /// Compiles again the users whose time-boxed grants began or lapsed by now. Nothing is reread: what they hold is the same,
    /// only the instant it is judged at moved.
    /// </summary>
    public void RecompileDue()
    {
        lock (_write)
        {
            var now = Now;
            Interlocked.Exchange(ref _nextChange, Never);
            foreach (var user in _users.Values)
            {
                if (user.NextChange is not { } next) continue;
                if (next <= now) Put(user.Facts, user.Access, user.Locations);
                else Earliest(next);
            }
        }
    }

    private void Earliest(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        for (var seen = Interlocked.Read(ref _nextChange); ticks < seen; seen = Interlocked.Read(ref _nextChange))
            if (Interlocked.CompareExchange(ref _nextChange, ticks, seen) == seen) return;
    }

    public SecureFeature? Feature(string code) => _index.TryGetValue(code, out var i) ? _features[i] : null;

    public int FeatureCount => _features.Length;

    public IEnumerable<SecureFeature> Features => _features;

    /// <summary>Rebuilds the feature index; true when a known feature moved, so compiled holdings must be rebuilt.</summary>
    private bool Index(IEnumerable<SecureFeature> custom)
    {
        var features = _catalogue.Features.Concat(custom).ToArray();
        var moved = _features.Select((f, i) => (f, i)).Any(x => x.i >= features.Length || features[x.i].Code != x.f.Code);
        _index = features.Select((f, i) => KeyValuePair.Create(f.Code, i)).ToFrozenDictionary();
        _features = features;
        _systemManagerIndex = _index.GetValueOrDefault(RolesModule.SystemManager, -2);
        // A role may name a feature that was unknown until now (a custom one): its grants are mapped again.
        foreach (var compiled in _roles.Values) PutRole(compiled.Role);
        return moved;
    }

    public Role? Role(Guid id) => _roles.TryGetValue(id, out var role) ? role.Role : null;

    public CompiledRole? Compiled(Guid id) => _roles.GetValueOrDefault(id);

    /// <summary>A role as it would be compiled now, without putting it in the tenant (a preview of an edit).</summary>
    public CompiledRole CompileRole(Role role) => new(role, _index, _features);

    public SecureFeature FeatureAt(int index) => _features[index];

    public int IndexOf(string code) => _index.GetValueOrDefault(code, -1);

    /// <summary>The role, loaded on first mention (a role created since the tenant was loaded and held by nobody yet).</summary>
    public async ValueTask<Role?> RoleAsync(AccessEngine engine, Guid id, CancellationToken ct)
    {
        if (Role(id) is { } known) return known;
        if (AsOf is not null) return null;
        _stale[id] = 0;
        await RefreshAsync(engine, ct);
        return Role(id);
    }

    public IEnumerable<Role> Roles => _roles.Values.Select(r => r.Role);

    private void PutRole(Role role) => _roles[role.Id] = new CompiledRole(role, _index, _features);

    public UserEntry? User(Guid id) => _users.GetValueOrDefault(id);

    public IEnumerable<UserEntry> Users => _users.Values;

    /// <summary>
    /// Every user of the tenant (reports, "who holds it"): users created since the tenant was loaded and never asked about
    /// are loaded first. A past state holds every user it was built for already.
    /// </summary>
    public async Task<IReadOnlyList<UserEntry>> AllUsersAsync(AccessEngine engine, CancellationToken ct)
    {
        if (AsOf is null)
        {
            var known = await engine.AskAsync(Tenant, new GetUserAccessFacts(null), ct);
            var missing = known.Where(f => !_users.ContainsKey(f.UserId)).ToList();
            foreach (var f in missing) _stale[f.UserId] = 0;
            if (missing.Count > 0) await RefreshAsync(engine, ct);
        }
        return [.. _users.Values];
    }

    /// <summary>The hot path: does the user hold the feature (tenant-wide) at the qualifier? No allocation, no I/O.</summary>
    public bool Holds(Guid userId, string feature, int? minQualifier = null) =>
        _index.TryGetValue(feature, out var index) && _users.TryGetValue(userId, out var user) && user.Facts.IsActive
        && user.Holdings.TryGet(index, out var holding) && holding.Meets(minQualifier);

    /// <summary>Users who hold the role tenant-wide (giving it loads the user, so every holder is known).</summary>
    public IEnumerable<UserEntry> HoldersOf(Guid roleId) => _users.Values.Where(u => u.Access.Roles.Any(r => r.RoleId == roleId));

    /// <summary>Whether the caller may ask about other users' rights (services, and whoever manages rights).</summary>
    public bool MayAskAboutOthers(Guid caller) =>
        Holds(caller, RolesModule.CheckAuthorization) || Holds(caller, RolesModule.MaintainRoles) || Holds(caller, RolesModule.BackOfficeUsers);

    /// <summary>The caller who gives a role or feature: tier rules are judged against them.</summary>
    public async ValueTask<UserEntry> GranterAsync(AccessEngine engine, Guid caller, CancellationToken ct) =>
        await UserAsync(engine, caller, ct) ?? throw new ForbiddenException("Your user is not known in this tenant.");

    /// <summary>
    /// Giving a role is giving each of its features: refused (403, naming the rule) when one is past the granter's tier, or,
    /// with the tenant's "grant only what you hold" on, when the granter does not hold it at that level.
    /// </summary>
    public void RequireGivable(Role role, UserEntry granter, bool onlyWhatYouHold)
    {
        foreach (var grant in role.Grants)
            if (Feature(grant.FeatureCode) is { } feature
                && (Rules.WhyNotGrantable(feature, granter.Facts, IsSystemManager(granter))
                    ?? (onlyWhatYouHold ? WhyNotHeldByGranter(granter, feature, grant.Qualifier) : null)) is { } why)
                throw new ForbiddenException($"Role '{role.Name}' cannot be given by you: {why}");
    }

    /// <summary>
    /// "Grant only what you hold" (issue #6): why the granter may not give the feature at this qualifier (null: they may).
    /// System Administrators, the top tier, are not bound by it.
    /// </summary>
    public string? WhyNotHeldByGranter(UserEntry granter, SecureFeature feature, int? qualifier)
    {
        if (granter.Facts.IsSystemAdministrator) return null;
        const string rule = "'Grant only what you hold' is on in this tenant";
        if (!granter.Holdings.TryGet(IndexOf(feature.Code), out var held))
            return $"{rule}: you cannot give '{feature.Name}' because you do not hold it yourself.";
        if (held.Unlimited) return null;
        var own = held.Qualifier is { } q ? $"you hold it with qualifier {q}" : "you hold it without a qualifier";
        if (Holding.Of(qualifier, feature).Unlimited) return $"{rule}: you cannot give '{feature.Name}' without a limit; {own}.";
        if (qualifier is { } wanted && (held.Qualifier ?? 0) < wanted) return $"{rule}: you cannot give '{feature.Name}' with qualifier {wanted}; {own}.";
        return null;
    }

    public void MarkStale(IReadOnlyList<Guid> streams)
    {
        // Streams the engine does not know (other modules' records, users never asked about) cost nothing: unknown users
        // are loaded when first asked about, unknown roles when a known user's grants name them.
        foreach (var id in streams)
            if (_roles.ContainsKey(id) || _users.ContainsKey(id) || _streamToUser.ContainsKey(id) || _locations.ContainsKey(id)) _stale[id] = 0;
    }

    /// <summary>The user, loaded on first mention (a user created since the tenant was loaded); null when Identity has no such user.</summary>
    public async ValueTask<UserEntry?> UserAsync(AccessEngine engine, Guid userId, CancellationToken ct)
    {
        // A past state holds every user asked about who existed then: one it does not hold did not exist.
        if (_users.TryGetValue(userId, out var known) || AsOf is not null) return known;
        _stale[userId] = 0;
        await RefreshAsync(engine, ct);
        return _users.GetValueOrDefault(userId);
    }

    /// <summary>Custom features are few and rarely added: an unknown code rereads them before it is called unknown.</summary>
    public async ValueTask<SecureFeature?> FeatureAsync(AccessEngine engine, string code, CancellationToken ct)
    {
        if (Feature(code) is { } known) return known;
        var (_, _, custom) = await engine.ReloadAsync(Tenant, [], [], ct);
        lock (_write)
            if (Index(custom.Select(c => c.ToFeature())))
                foreach (var user in _users.Values) Put(user.Facts, user.Access, user.Locations);
        return Feature(code);
    }

    /// <summary>Reloads what commits marked stale: roles (recompiling their holders), users' grants, users' facts.</summary>
    public async Task RefreshAsync(AccessEngine engine, CancellationToken ct)
    {
        // Taken off first: a commit marking an id again while this reload runs makes the next decision reload it once more.
        var ids = _stale.Keys.ToList();
        if (ids.Count == 0) return;
        foreach (var id in ids) _stale.TryRemove(id, out _);
        try { await ReloadAsync(engine, ids, ct); }
        catch
        {
            foreach (var id in ids) _stale[id] = 0;
            throw;
        }
    }

    private async Task ReloadAsync(AccessEngine engine, List<Guid> ids, CancellationToken ct)
    {
        // Any id may be a role, a user-access stream or a user: each kind of lookup ignores ids that are not its kind.
        var userIds = ids.Select(id => _streamToUser.TryGetValue(id, out var user) ? user : id).Distinct().ToList();
        var (roles, access, custom) = await engine.ReloadAsync(Tenant, ids, userIds.Select(UserAccess.StreamId).ToList(), ct);
        var userLocations = await engine.AskAsync(Tenant, new GetUserLocations(userIds), ct);
        var missing = access.SelectMany(a => a.Roles).Select(r => r.RoleId).Concat(userLocations.SelectMany(l => l.SalePoints).Select(s => s.RoleId))
            .Where(id => !_roles.ContainsKey(id) && roles.All(r => r.Id != id)).Distinct().ToList();
        if (missing.Count > 0) roles = [.. roles, .. (await engine.ReloadAsync(Tenant, missing, [], ct)).Roles];
        // Locations are few: a change to one, or an assignment naming one not known yet, rereads them all.
        if (ids.Any(_locations.ContainsKey) || userLocations.Any(l => l.SalePoints.Any(s => !_locations.ContainsKey(s.SalePointId))
                || l.StoreIds.Any(s => !_locations.ContainsKey(s))))
            _locations = (await engine.AskAsync(Tenant, new GetLocations(), ct)).ToFrozenDictionary(l => l.Id);
        var facts = await engine.AskAsync(Tenant, new GetUserAccessFacts(userIds), ct);
        lock (_write)
        {
            var recompile = Index(custom.Select(c => c.ToFeature())) ? _users.Keys.ToHashSet() : [];
            foreach (var role in roles)
            {
                if (role.IsDeleted) _roles.TryRemove(role.Id, out _);
                else PutRole(role);
                recompile.UnionWith(HoldersOf(role.Id).Select(u => u.Facts.UserId));
            }
            var accessByUser = access.ToDictionary(a => a.UserId);
            var locationsByUser = userLocations.ToDictionary(l => l.UserId);
            foreach (var f in facts)
            {
                Put(f, accessByUser.GetValueOrDefault(f.UserId) ?? _users.GetValueOrDefault(f.UserId)?.Access ?? UserAccess.Empty(f.UserId),
                    locationsByUser.GetValueOrDefault(f.UserId) ?? NoLocations(f.UserId));
                recompile.Remove(f.UserId);
            }
            foreach (var id in recompile)
                if (_users.TryGetValue(id, out var user)) Put(user.Facts, user.Access, user.Locations);
        }
    }

    // Put runs in the constructor or under _write only, so its buffer is never shared.
    private Holding?[] _putScratch = [];

    private void Put(UserAccessFacts facts, UserAccess access, UserLocationFacts locations)
    {
        _streamToUser[access.Id == Guid.Empty ? UserAccess.StreamId(facts.UserId) : access.Id] = facts.UserId;
        _streamToUser[LocationStreams.OfUser(facts.UserId)] = facts.UserId;
        if (_putScratch.Length < _features.Length) _putScratch = new Holding?[_features.Length];
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
        foreach (var s in locations.SalePoints) next = Validity.NextChange(next, s.ValidFrom, s.ValidUntil, now);
        if (next is { } change) Earliest(change);
        _users[facts.UserId] = new UserEntry(facts, access, locations, CompileHoldings(facts, access, now), next, boxed);
    }

    /// <summary>
    /// The user's valid tenant-wide holdings: the grants <see cref="Compile"/> finds valid, combined per feature, judged
    /// without listing each grant with its reasons (a load does this for every user: ~120 grants each, 20,000 users).
    /// The listing and explanation tests hold the two equal.
    /// </summary>
    private Holdings CompileHoldings(UserAccessFacts facts, UserAccess access, DateTimeOffset now)
    {
        // Being a System Manager is itself a grant; it counts when in force (it may always be held: an administrator gave it).
        var isSystemManager = false;
        foreach (var g in access.Grants)
            isSystemManager |= g.FeatureCode == RolesModule.SystemManager && Validity.Covers(g.ValidFrom, g.ValidUntil, now);
        foreach (var r in access.Roles)
            isSystemManager |= _roles.TryGetValue(r.RoleId, out var role) && role.GrantOf(_systemManagerIndex) >= 0 && Validity.Covers(r.ValidFrom, r.ValidUntil, now);
        var held = _putScratch.AsSpan(0, _features.Length);
        held.Clear();
        foreach (var g in access.Grants)
            if (_index.TryGetValue(g.FeatureCode, out var index) && Validity.Covers(g.ValidFrom, g.ValidUntil, now) && MayHold(_features[index]))
                held[index] = Holding.Combine(held[index], Holding.Of(g.Qualifier, _features[index]));
        foreach (var r in access.Roles)
        {
            if (!_roles.TryGetValue(r.RoleId, out var role) || !Validity.Covers(r.ValidFrom, r.ValidUntil, now)) continue;
            var (indices, gives) = (role.Indices, role.Gives);
            for (var i = 0; i < indices.Length; i++)
                if (indices[i] is var index and >= 0 && MayHold(_features[index]))
                    held[index] = Holding.Combine(held[index], gives[i]);
        }
        return Holdings.Of(held);

        bool MayHold(SecureFeature feature) => feature.Active && Rules.WhyNotHeld(feature, facts, isSystemManager) is null;
    }

    /// <summary>
    /// One grant judged for the user; <c>Position</c> is its place in the role's (or the user's direct) grants; <c>Why</c> and
    /// <c>WhyCode</c> say why it does not apply (null: it does); <c>Until</c>: the end of its time box, if any.
    /// </summary>
    internal readonly record struct Source(SecureFeature Feature, int Index, Role? Role, int Position, Guid? SalePointId, int? Qualifier,
        Holding Holding, string? Why, string? WhyCode = null, DateTimeOffset? Until = null, string? TimeBox = null);

    /// <summary>
    /// Every grant the user has (direct, tenant-wide roles, and the role at <paramref name="salePointId"/>), each judged by
    /// the tier and type rules against the user's facts now. Used to compile holdings and to explain a decision; an
    /// explanation passes <paramref name="only"/> to judge just the grants of that feature; a hot caller passes a list to reuse;
    /// a preview passes <paramref name="instead"/>, a role's proposed version.
    /// </summary>
    public List<Source> Compile(UserEntry user, Guid? salePointId, string? only = null, List<Source>? into = null, CompiledRole? instead = null)
    {
        var (facts, access) = (user.Facts, user.Access);
        var sources = into ?? new List<Source>(only is null ? access.Grants.Count + access.Roles.Count * 40 : 4);
        sources.Clear();
        // Being a System Manager is itself a grant; it counts when it may be held (it always may: an administrator gave it).
        var isSystemManager = false;
        var now = Now;
        var onlyIndex = only is null ? -1 : IndexOf(only);
        // A time-boxed grant outside its window is listed with the reason, so an explanation can say it lapsed or has not begun.
        void Add(Grant grant, Role? role, int position, Guid? salePoint)
        {
            var timeBox = Validity.WhyNot(grant.ValidFrom, grant.ValidUntil, now);
            if (grant.FeatureCode == RolesModule.SystemManager) isSystemManager |= timeBox is null;
            else if (only is not null && grant.FeatureCode != only) return;
            if (_index.TryGetValue(grant.FeatureCode, out var index))
                sources.Add(new Source(_features[index], index, role, position, salePoint, grant.Qualifier, default, null, null, grant.ValidUntil,
                    timeBox is null ? null : $"The direct grant {timeBox}."));
        }
        for (var i = 0; i < access.Grants.Count; i++) Add(access.Grants[i], null, i, null);
        foreach (var assignment in access.Roles) AddRole(assignment.RoleId, null, assignment.ValidFrom, assignment.ValidUntil);
        if (salePointId is { } here)
            foreach (var at in user.Locations.SalePoints)
                if (at.SalePointId == here) AddRole(at.RoleId, here, at.ValidFrom, at.ValidUntil);
        void AddRole(Guid roleId, Guid? salePoint, DateTimeOffset? from, DateTimeOffset? until)
        {
            var notNow = Validity.WhyNot(from, until, now);
            // A preview compiles a role's proposed version in place of the one in force.
            var role = instead is not null && instead.Role.Id == roleId ? instead : _roles.GetValueOrDefault(roleId);
            if (role is null) return;
            var (compiled, indices) = (role.Role, role.Indices);
            var timeBox = notNow is null ? null : $"The user's role '{compiled.Name}'{(salePoint is null ? "" : " at this sale point")} {notNow}.";
            if (only is not null)
            {
                // An explanation reads just the asked feature's grant and the System Manager grant, found by index: reading
                // every grant of every role the user holds was most of a decision's time (cache misses on each grant).
                isSystemManager |= notNow is null && role.GrantOf(_systemManagerIndex) >= 0;
                if (role.GrantOf(onlyIndex) is var at and >= 0)
                    sources.Add(new Source(_features[onlyIndex], onlyIndex, compiled, at, salePoint, compiled.Grants[at].Qualifier, default, null, null, until, timeBox));
                return;
            }
            for (var i = 0; i < compiled.Grants.Count; i++)
            {
                var grant = compiled.Grants[i];
                if (indices[i] == _systemManagerIndex) isSystemManager |= notNow is null;
                if (indices[i] >= 0)
                    sources.Add(new Source(_features[indices[i]], indices[i], compiled, i, salePoint, grant.Qualifier, default, null, null, until, timeBox));
            }
        }
        if (only is not null && only != RolesModule.SystemManager) sources.RemoveAll(s => s.Feature.Code == RolesModule.SystemManager);
        for (var i = 0; i < sources.Count; i++)
        {
            var r = sources[i];
            var (why, code) = r.TimeBox is { } timeBox ? (timeBox, "time-box")
                : !r.Feature.Active ? ($"'{r.Feature.Name}' is not active yet.", "feature-inactive")
                : Rules.WhyNotHeld(r.Feature, facts, isSystemManager) is { } rule
                    ? (rule, r.Feature.UserTypes is not null && r.Feature.Tier is Tier.None or Tier.HostCompanyManager ? "user-type" : "tier")
                    : (null, null);
            sources[i] = r with { Holding = Holding.Of(r.Qualifier, r.Feature), Why = why, WhyCode = code };
        }
        return sources;
    }

    /// <summary>The user's assignment to the sale point, if any, and why it does not apply now (null: it does).</summary>
    public (SalePointRole? Assignment, string? WhyNot) AssignmentAt(UserEntry user, Guid salePointId)
    {
        foreach (var s in user.Locations.SalePoints)
            if (s.SalePointId == salePointId) return (s, Validity.WhyNot(s.ValidFrom, s.ValidUntil, Now));
        return (null, null);
    }

    public bool IsSystemManager(UserEntry user) =>
        user.Facts.IsSystemAdministrator || (_index.TryGetValue(RolesModule.SystemManager, out var i) && user.Holdings.TryGet(i, out _));
}
