using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using OrderStream.BuildingBlocks.Modules;
using OrderStream.BuildingBlocks.Persistence;
using OrderStream.Modules.Billing.Accounts;

/// <summary>
/// Writes Billing's own account streams for one tenant directly, through the application's Marten configuration: five
/// years of lifecycle cannot be produced over HTTP with a real clock. Deterministic (seeded random numbers).
/// </summary>
internal static class BillingSeed
{
    /// <summary>
    /// The application's own composition (modules and Marten), without delivering events: what the seeders write
    /// through.
    /// </summary>
    public static ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["IntegrationEvents:Deliver"] = "false" })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddModules(
            configuration,
            new HostingEnvironment { EnvironmentName = "Production" },
            OrderStream.Host.Modules.Assemblies
        );
        services.AddOrderStreamMarten(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// The tenant's users, as Identity's published query answers them (the seeders give them rights and places).
    /// </summary>
    public static async Task<IReadOnlyList<OrderStream.Modules.Identity.Contracts.UserAccessFacts>> UsersAsync(
        ServiceProvider provider,
        string tenant
    )
    {
        await using var scope = provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<OrderStream.BuildingBlocks.Tenancy.TenantContext>().Set(tenant);
        return await scope
            .ServiceProvider.GetRequiredService<MediatR.IMediator>()
            .Send(new OrderStream.Modules.Identity.Contracts.GetUserAccessFacts(null));
    }

    public static async Task RunAsync(string tenant, int accounts)
    {
        await using var provider = Services();
        var store = provider.GetRequiredService<IDocumentStore>();

        var random = new Random(2026);
        var start = new DateTimeOffset(2021, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var span = TimeSpan.FromDays(5 * 365);
        string[] first =
        [
            "Anna",
            "Bernd",
            "Clara",
            "Dieter",
            "Eva",
            "Franz",
            "Greta",
            "Hans",
            "Ines",
            "Jürgen",
            "Karin",
            "Lukas",
        ];
        var events = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var batch = 0; batch < accounts; batch += 1000)
        {
            await using var session = store.LightweightSession(tenant);
            for (var i = batch; i < Math.Min(accounts, batch + 1000); i++)
            {
                var userId = Guid.NewGuid();
                // About one employee in twenty has a second account under the same name.
                var name = $"{first[i % first.Length]} Person{(i % 20 == 0 ? i - 1 : i)}";
                var at = start + TimeSpan.FromMinutes(random.NextDouble() * span.TotalMinutes * 0.6);
                var stream = new List<object> { new AccountOpened(userId, at, name, Guid.NewGuid()) };
                var active = true;
                for (var change = random.Next(0, 7); change > 0; change--)
                {
                    at += TimeSpan.FromDays(random.Next(1, 200));
                    if (at > start + span)
                        break;
                    stream.Add(
                        random.Next(10) == 0 ? new AccountRenamed(userId, at, name + " Jr", Guid.NewGuid())
                        : active ? new AccountDeactivated(userId, at, Guid.NewGuid())
                        : new AccountReactivated(userId, at, Guid.NewGuid())
                    );
                    if (stream[^1] is not AccountRenamed)
                        active = !active;
                }
                session.Events.StartStream<BillingAccount>(BillingAccount.StreamId(userId), stream.ToArray());
                events += stream.Count;
            }
            await session.SaveChangesAsync();
        }
        Console.WriteLine(
            $"seeded {accounts} billing accounts with {events} events (five years) in {watch.Elapsed.TotalSeconds:F1} s"
        );
    }
}
