using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.Roles.Decisions.Engine;
using OrderStream.Modules.Roles.Grants;
using OrderStream.Modules.Roles.Roles;

/// <summary>
/// Issue #3's tenant for the decision engine: for a tenant whose users exist (created over HTTP), 300 roles of 40
/// features and, per user, three roles and two direct grants, written through the application's Marten configuration.
/// Then <see cref="MeasureLoadAsync"/> times loading that tenant into a fresh engine and the memory it keeps.
/// </summary>
internal static class RolesSeed
{
    public static async Task<IReadOnlyList<Guid>> RunAsync(string tenant, int roles = 300, int perRole = 40)
    {
        await using var provider = BillingSeed.Services();
        var store = provider.GetRequiredService<IDocumentStore>();
        var users = await BillingSeed.UsersAsync(provider, tenant);
        var random = new Random(2026);
        var features = new FeatureCatalogue()
            .Features.Where(f => f.Active && f.UserTypes is null && f.Tier is Tier.None)
            .Select(f => f.Code)
            .ToArray();
        var watch = Stopwatch.StartNew();
        var roleIds = new List<Guid>();
        await using (var session = store.LightweightSession(tenant))
        {
            for (var i = 0; i < roles; i++)
            {
                var grants = features
                    .OrderBy(_ => random.Next())
                    .Take(perRole)
                    .Select(f => new Grant(f, random.Next(3) == 0 ? null : random.Next(0, 12)))
                    .ToList();
                var created = new RoleCreated(Guid.CreateVersion7(), $"Load role {i:000}", null, grants, null);
                session.Events.StartStream<Role>(created.RoleId, created);
                roleIds.Add(created.RoleId);
            }
            await session.SaveChangesAsync();
        }
        foreach (var chunk in users.Chunk(1000))
        {
            await using var session = store.LightweightSession(tenant);
            foreach (var user in chunk)
            {
                var events = new List<object>();
                foreach (var role in roleIds.OrderBy(_ => random.Next()).Take(3))
                    events.Add(new RoleAssigned(user.UserId, role, ""));
                foreach (var code in features.OrderBy(_ => random.Next()).Take(2))
                    events.Add(new FeatureGranted(user.UserId, code, random.Next(0, 12), false, null));
                session.Events.Append(UserAccess.StreamId(user.UserId), events.ToArray());
            }
            await session.SaveChangesAsync();
        }
        Console.WriteLine(
            $"seeded {roles} roles of {perRole} features and three roles plus two grants for each of {users.Count} "
                + $"users in {watch.Elapsed.TotalSeconds:F1} s"
        );
        return users.Select(u => u.UserId).ToList();
    }

    /// <summary>
    /// Loads the tenant into a new engine three times; prints the time and the memory the loaded tenant keeps.
    /// </summary>
    public static async Task MeasureLoadAsync(string tenant)
    {
        await using var provider = BillingSeed.Services();
        // As the service does at start-up before it loads the tenants: otherwise the first load also checks each
        // table's schema.
        await provider.GetRequiredService<IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        for (var run = 1; run <= 3; run++)
        {
            var engine = ActivatorUtilities.CreateInstance<AccessEngine>(provider);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            var access = await engine.TenantAsync(tenant, CancellationToken.None);
            var elapsed = watch.Elapsed;
            var after = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine(
                $"engine load {run}: {access.Users.Count()} users, {access.Roles.Count()} roles in "
                    + $"{elapsed.TotalMilliseconds:F0} ms, "
                    + $"keeping {(after - before) / 1024.0 / 1024.0:F1} MB"
            );
            GC.KeepAlive(access);
        }
    }
}
