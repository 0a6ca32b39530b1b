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
/// Decisions from memory (ADR 0010): per tenant, every user's tenant-wide holdings compiled into one frozen dictionary,
/// with each user's sale points (and role there) and stores from the Sale Points module's contracts; loaded at start-up
/// (<see cref="EngineWarmUp"/>), a tenant created later (or whose load failed) on first use. A commit that touches a
/// role, a user's grants, locations or the user (Identity), or a location, on this instance or on another one (<see
/// cref="OrderStream.BuildingBlocks.Persistence.CommittedStreams"/>), marks just that entry stale; the next decision of
/// the tenant reloads the stale entries and recompiles only the users they concern.
/// </summary>
internal sealed class AccessEngine
{
    private readonly IDocumentStore _store;
    private readonly IServiceScopeFactory _scopes;
    private readonly FeatureCatalogue _catalogue;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, Slot> _tenants = new();

    /// <summary>How many tenants are in memory (readiness says it).</summary>
    public int LoadedTenants => _tenants.Values.Count(s => s.IsLoaded);

    /// <summary>
    /// A tenant's load, and the commits seen while it runs: its reads may have missed them, so they are marked stale
    /// on what it loaded before anyone decides from it (issue #22: dropped, they kept old answers indefinitely).
    /// </summary>
    private sealed class Slot
    {
        private readonly Lock _gate = new();
        private List<Guid>? _missed = [];
        private TenantAccess? _loaded;

        public required Lazy<Task<TenantAccess>> Load { get; init; }

        public bool IsLoaded => Volatile.Read(ref _loaded) is not null;

        public void Committed(IReadOnlyList<Guid> streams)
        {
            lock (_gate)
                if (_loaded is { } access)
                    access.MarkStale(streams);
                else
                    _missed!.AddRange(streams);
        }

        public TenantAccess Loaded(TenantAccess access)
        {
            lock (_gate)
            {
                access.MarkStale(_missed!);
                _missed = null;
                _loaded = access;
            }
            return access;
        }
    }

    public AccessEngine(
        IDocumentStore store,
        IServiceScopeFactory scopes,
        FeatureCatalogue catalogue,
        OrderStream.BuildingBlocks.Persistence.CommittedStreams committed,
        TimeProvider clock
    )
    {
        _store = store;
        _scopes = scopes;
        _catalogue = catalogue;
        _clock = clock;
        committed.Committed += (tenant, streams) =>
        {
            if (_tenants.TryGetValue(tenant, out var slot))
                slot.Committed(streams);
        };
        committed.Resynchronise += () => _tenants.Clear();
    }

    /// <summary>The tenant's access, up to date with every commit made on this instance.</summary>
    public async Task<TenantAccess> TenantAsync(string tenant, CancellationToken ct)
    {
        var slot = _tenants.GetOrAdd(tenant, NewSlot);
        TenantAccess access;
        try
        {
            access = await slot.Load.Value.WaitAsync(ct);
        }
        catch when (!ct.IsCancellationRequested)
        {
            // A failed load is tried again next time.
            _tenants.TryRemove(new KeyValuePair<string, Slot>(tenant, slot));
            throw;
        }
        // A time-boxed grant that began or lapsed since the holders were compiled: those users are compiled again.
        if (access.NextChange <= _clock.GetUtcNow())
            access.RecompileDue();
        if (access.HasStale)
            await access.RefreshAsync(this, ct);
        return access;
    }

    /// <summary>Whether the tenant is in memory (loaded, not failed), so its next decision reads nothing.</summary>
    public bool IsLoaded(string tenant) => _tenants.TryGetValue(tenant, out var slot) && slot.IsLoaded;

    private Slot NewSlot(string tenant)
    {
        Slot? slot = null;
        slot = new Slot { Load = new(() => LoadAsync(tenant, slot!)) };
        return slot;
    }

    /// <summary>
    /// The tenant as it was at <paramref name="asOf"/> (issue #6's time travel), rebuilt from the event history of the
    /// users asked about (null: every user) and of the roles they held then: grants, roles, sale points, the users'
    /// facts, and time-boxed grants judged at that instant. Built for the question and thrown away; nothing of it is
    /// cached.
    /// </summary>
    public async Task<TenantAccess> AsOfAsync(
        string tenant,
        DateTimeOffset asOf,
        IReadOnlyList<Guid>? userIds,
        CancellationToken ct
    )
    {
        var facts = AskAsync(tenant, new GetUserAccessFacts(userIds, asOf), ct);
        var locations = AskAsync(tenant, new GetLocations(asOf), ct);
        var userLocations = AskAsync(tenant, new GetUserLocations(userIds, asOf), ct);
        await using var session = _store.QuerySession(tenant);
        var access = (
            await StreamHistory.AsOfAsync<UserAccess>(session, userIds?.Select(UserAccess.StreamId).ToList(), asOf, ct)
        ).Values;
        var roleIds = userIds is null
            ? null
            : access
                .SelectMany(a => a.Roles)
                .Select(r => r.RoleId)
                .Concat((await userLocations).SelectMany(l => l.SalePoints).Select(s => s.RoleId))
                .Distinct()
                .ToList();
        var roles = (await StreamHistory.AsOfAsync<Role>(session, roleIds, asOf, ct)).Values.Where(r => !r.IsDeleted);
        // The tenant's own features as the live state knows them, so the feature index is the same, each as it was then
        // where it existed (one made later was held by nobody then); the tiers as they were then.
        var now = await TenantAsync(tenant, ct);
        var live = now.Custom;
        var then = await StreamHistory.AsOfAsync<CustomFeature>(session, [.. live.Select(c => c.Id)], asOf, ct);
        // A tenant that never gave a tier has no history of them to read (the usual case: no round trip).
        var tiers = now.TiersGiven
            ? await session.Events.AggregateStreamAsync<FeatureTiers>(FeatureTiers.StreamId, timestamp: asOf, token: ct)
            : null;
        return new TenantAccess(
            tenant,
            _catalogue,
            [.. live.Select(c => then.GetValueOrDefault(c.Id) ?? c)],
            tiers?.Tiers ?? [],
            roles,
            access,
            await facts,
            await locations,
            await userLocations,
            asOf
        );
    }

    private async Task<TenantAccess> LoadAsync(string tenant, Slot slot)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // Identity's facts, Sale Points' records and this module's: every read at once, each on its own connection,
        // since on one session they waited for each other (ADR 0024).
        var facts = AskAsync(tenant, new GetUserAccessFacts(null), CancellationToken.None);
        var locations = AskAsync(tenant, new GetLocations(), CancellationToken.None);
        var userLocations = AskAsync(tenant, new GetUserLocations(null), CancellationToken.None);
        var roles = ReadAsync(tenant, s => s.Query<Role>().Where(r => !r.IsDeleted).ToListAsync());
        var access = ReadAsync(tenant, s => s.Query<UserAccess>().ToListAsync());
        var custom = ReadAsync(tenant, s => s.Query<CustomFeature>().OrderBy(c => c.Id).ToListAsync());
        var tiers = TiersAsync(tenant);
        var loaded = slot.Loaded(
            new TenantAccess(
                tenant,
                _catalogue,
                await custom,
                await tiers ?? new Dictionary<string, Tier>(),
                await roles,
                await access,
                await facts,
                await locations,
                await userLocations,
                null,
                _clock
            )
        );
        OrderStream.BuildingBlocks.Telemetry.EngineLoads.Record(
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds
        );
        return loaded;
    }

    /// <summary>The tenant's feature settings that are on, now or as of a past instant (ADR 0028).</summary>
    internal async Task<IReadOnlySet<string>> SettingsOnAsync(string tenant, DateTimeOffset? asOf, CancellationToken ct)
    {
        await using var session = _store.QuerySession(tenant);
        var settings = asOf is { } at
            ? await session.Events.AggregateStreamAsync<Settings.FeatureSettings>(
                Settings.FeatureSettings.StreamId,
                timestamp: at,
                token: ct
            )
            : await session.LoadAsync<Settings.FeatureSettings>(Settings.FeatureSettings.StreamId, ct);
        return (settings?.On ?? []).ToFrozenSet(StringComparer.Ordinal);
    }

    private async Task<IReadOnlyDictionary<string, Tier>?> TiersAsync(string tenant)
    {
        await using var session = _store.QuerySession(tenant);
        return (await session.LoadAsync<FeatureTiers>(FeatureTiers.StreamId))?.Tiers;
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

    internal async Task<(
        IReadOnlyList<Role> Roles,
        IReadOnlyList<UserAccess> Access,
        IReadOnlyList<CustomFeature> Custom,
        IReadOnlyDictionary<string, Tier>? Tiers
    )> ReloadAsync(
        string tenant,
        IReadOnlyCollection<Guid> roleIds,
        IReadOnlyCollection<Guid> accessIds,
        bool tiers,
        CancellationToken ct
    )
    {
        await using var session = _store.QuerySession(tenant);
        var roles = roleIds.Count == 0 ? [] : await session.LoadManyAsync<Role>(ct, roleIds);
        var access = accessIds.Count == 0 ? [] : await session.LoadManyAsync<UserAccess>(ct, accessIds);
        var custom = await session.Query<CustomFeature>().OrderBy(c => c.Id).ToListAsync(ct);
        var given = tiers ? (await session.LoadAsync<FeatureTiers>(FeatureTiers.StreamId, ct))?.Tiers ?? [] : null;
        return (roles, access, custom, given);
    }
}
