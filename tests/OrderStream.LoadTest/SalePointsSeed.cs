using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.Modules.Roles.Roles;
using OrderStream.Modules.SalePoints.Assignments;
using OrderStream.Modules.SalePoints.Contracts;
using OrderStream.Modules.SalePoints.Locations;

/// <summary>
/// Issue #4's tenant: for a tenant whose users exist, 50 sale points and, per user, one to three of them as POS Cashier
/// (every 300th user has all of them), written as the module's own events through the application's Marten
/// configuration. The running service hands them to Identity's read model like any other change.
/// </summary>
internal static class SalePointsSeed
{
    public static async Task RunAsync(string tenant, int salePoints = 50)
    {
        await using var provider = BillingSeed.Services();
        var store = provider.GetRequiredService<IDocumentStore>();
        var users = await BillingSeed.UsersAsync(provider, tenant);
        var watch = Stopwatch.StartNew();
        var random = new Random(2026);
        Guid cashier;
        var ids = new List<Guid>();
        await using (var session = store.LightweightSession(tenant))
        {
            cashier = (await session.Query<Role>().Where(r => r.Name == "POS Cashier").SingleAsync()).Id;
            for (var i = 0; i < salePoints; i++)
            {
                var opened = new LocationOpened(
                    Guid.CreateVersion7(),
                    LocationKind.SalePoint,
                    DateTimeOffset.UtcNow,
                    $"LOAD{i:00}",
                    $"Load shop {i:00}",
                    null
                );
                session.Events.StartStream<Location>(opened.Id, opened);
                ids.Add(opened.Id);
            }
            await session.SaveChangesAsync();
        }
        var n = 0;
        foreach (var chunk in users.Chunk(2000))
        {
            await using var session = store.LightweightSession(tenant);
            foreach (var user in chunk)
            {
                var mine = n++ % 300 == 0 ? ids : ids.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
                var after = LocationsState.Empty with
                {
                    SalePoints = mine.Select(id => new SalePointAssignment(id, cashier)).ToList(),
                };
                session.Events.Append(
                    LocationStreams.OfUser(user.UserId),
                    new UserLocationsSet(user.UserId, DateTimeOffset.UtcNow, "load test", LocationsState.Empty, after)
                );
            }
            await session.SaveChangesAsync();
        }
        Console.WriteLine(
            $"seeded {salePoints} sale points and 1-3 of them (every 300th user: all) for each of {users.Count} users "
                + $"in {watch.Elapsed.TotalSeconds:F1} s"
        );
    }
}
