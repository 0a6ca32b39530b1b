using System.Collections.Concurrent;
using Marten.Services;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// The foundation's stand-in decision until the Roles &amp; Secure Features module exists: an active System Administrator
/// holds every feature, everyone else none.
/// </summary>
internal sealed class SystemAdministratorDecider(IQuerySession session, TenantContext tenant, AdministratorCache cache) : IFeatureDecider
{
    public async Task<bool> HoldsAnyAsync(CurrentUser user, IReadOnlyList<string> features, CancellationToken ct)
    {
        if (cache.TryGet(tenant.Tenant, user.UserId, out var allowed)) return allowed;
        allowed = await session.LoadAsync<User>(user.UserId, ct) is { IsActiveSystemAdministrator: true };
        cache.Set(tenant.Tenant, user.UserId, allowed);
        return allowed;
    }
}

/// <summary>
/// Who is an active System Administrator, remembered for one second per instance. A commit that touches a user's stream
/// evicts the entry at once, so on the instance that made a change it counts immediately; other instances within a second.
/// </summary>
internal sealed class AdministratorCache(TimeProvider clock) : DocumentSessionListenerBase
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<(string Tenant, Guid User), (bool Allowed, DateTimeOffset Until)> _entries = new();

    public bool TryGet(string tenant, Guid user, out bool allowed)
    {
        allowed = false;
        if (!_entries.TryGetValue((tenant, user), out var entry) || entry.Until <= clock.GetUtcNow()) return false;
        allowed = entry.Allowed;
        return true;
    }

    public void Set(string tenant, Guid user, bool allowed) => _entries[(tenant, user)] = (allowed, clock.GetUtcNow() + Lifetime);

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var stream in commit.GetStreams()) _entries.TryRemove((session.TenantId, stream.Id), out _);
        return Task.CompletedTask;
    }
}
