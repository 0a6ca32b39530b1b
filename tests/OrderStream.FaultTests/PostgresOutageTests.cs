using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace OrderStream.FaultTests;

/// <summary>
/// Issue #22: PostgreSQL stopped for five seconds while users are created and while their events are being delivered.
/// No acknowledged write is lost or doubled, every event reaches Billing once, the outage answers 503 (never 500), and
/// the service works again within five seconds of PostgreSQL's return.
/// </summary>
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_five_second_outage_under_write_load_loses_nothing_and_answers_503_not_500()
    {
        await using var pg = await OwnPostgres.StartAsync();
        await using var api = new ApiFactory(pg.ConnectionString, null, RealTime);
        // What an operator's dashboard hears: every 503 counted as the database not answering.
        long unavailable = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "orderstream.requests.unavailable")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref unavailable, value));
        listener.Start();
        var admin = await api.CreateTenantAsync();
        var acknowledged = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        using var stop = new CancellationTokenSource();
        DateTime? backAt = null;
        DateTime? firstWriteAfter = null;

        var writers = Enumerable
            .Range(0, 4)
            .Select(writer =>
                Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        var response = await admin.PostAsync(
                            "users",
                            TenantClient.NewUser($"W{Letters(writer)}", Letters(i), login: $"w{writer}n{i}")
                        );
                        statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
                            if (backAt is { } back && firstWriteAfter is null)
                                firstWriteAfter = DateTime.UtcNow;
                        }
                        else
                            await Task.Delay(50);
                    }
                })
            )
            .ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = acknowledged.Count;
        // A search fills the search pool, whose connections the restart kills while they sit idle.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("users?search=eva&pageSize=5")).StatusCode);
        await pg.StopAsync();
        await Task.Delay(Outage);
        // Readiness says the engine may be stale while it cannot hear other instances' commits.
        var engineDuring = await EngineReadinessAsync(api);
        await pg.StartAgainAsync();
        backAt = DateTime.UtcNow;
        var searchAfter = await admin.GetAsync("users?search=eva&pageSize=5");
        await Task.Delay(TimeSpan.FromSeconds(6));
        var engineAfter = await EngineReadinessAsync(api);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var recovery = firstWriteAfter - backAt;
        output.WriteLine(
            $"acknowledged {acknowledged.Count} ({before} before the outage); answers "
                + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))
                + $"; first write {recovery?.TotalMilliseconds:0} ms after PostgreSQL was back"
        );
        Assert.DoesNotContain(statuses.Keys, s => s >= 500 && s != 503);
        Assert.True(statuses.ContainsKey(503), "the outage was never answered 503");
        Assert.True(Interlocked.Read(ref unavailable) >= statuses[503], $"{unavailable} 503s counted");
        Assert.True(recovery < TimeSpan.FromSeconds(5), $"recovered after {recovery}");
        // The first search after the restart: its pool's connections died idle, and must not fail the request.
        Assert.Equal(HttpStatusCode.OK, searchAfter.StatusCode);
        Assert.Equal("Unhealthy", (string)engineDuring["status"]!);
        Assert.Contains("Not hearing other instances' commits", (string)engineDuring["description"]!);
        Assert.Equal("Healthy", (string)engineAfter["status"]!);
        Assert.Contains("hearing other instances' commits", (string)engineAfter["description"]!);
        await Ledger.AssertEveryUserStoredAndBilledOnceAsync(output, admin, acknowledged);
    }

    [Fact]
    public async Task A_five_second_outage_while_a_backlog_is_delivered_drops_no_event()
    {
        await using var pg = await OwnPostgres.StartAsync();
        List<string> created = [];
        string tenant;
        // The backlog: users created by an instance that does not deliver (one that died after its commits).
        await using (
            var down = new ApiFactory(pg.ConnectionString, new() { ["IntegrationEvents:Deliver"] = "false" }, RealTime)
        )
        {
            var admin = await down.CreateTenantAsync();
            tenant = admin.Tenant;
            foreach (var chunk in Enumerable.Range(0, 600).Chunk(8))
                created.AddRange(
                    await Task.WhenAll(
                        chunk.Select(async i =>
                            (string)
                                (await admin.CreateUserAsync(TenantClient.NewUser("Back", Letters(i), $"b{i}")))["id"]!
                        )
                    )
                );
        }
        // An instance that delivers; PostgreSQL stops as soon as delivery has begun.
        var begun = new DeliveryBegun();
        await using var api = new ApiFactory(pg.ConnectionString, null, s =>
            s.AddSingleton(begun).AddScoped<IIntegrationEventBatchHandler, Witness>()
        );
        _ = api.Server;
        await begun.Signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await pg.StopAsync();
        await Task.Delay(Outage);
        await pg.StartAgainAsync();
        var client = new TenantClient(api.CreateClient(), tenant);
        await client.LogInAsync("admin", TenantClient.AdminPassword);
        await Ledger.AssertEveryUserStoredAndBilledOnceAsync(output, client, created);
    }

    public sealed class DeliveryBegun
    {
        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Says when the first page of the backlog is handed over, and slows each page down a little.</summary>
    public sealed class Witness(DeliveryBegun begun) : IIntegrationEventBatchHandler
    {
        public IReadOnlySet<Type> Handles { get; } = new HashSet<Type> { typeof(UserCreated) };

        public async Task HandleAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken ct)
        {
            begun.Signal.TrySetResult();
            await Task.Delay(100, ct);
        }
    }

    /// <summary>
    /// The service on the real clock: the daemon's waits after a fault are timed by it, and the test hosts' fake clock
    /// never moves on its own.
    /// </summary>
    private static void RealTime(IServiceCollection services) => services.AddSingleton(TimeProvider.System);

    /// <summary>A name for a number: names hold letters only.</summary>
    private static string Letters(int n) =>
        n < 26 ? ((char)('A' + n)).ToString() : Letters(n / 26 - 1) + (char)('a' + n % 26);

    // Readiness answers 503 while not ready, with the same body.
    private static async Task<JsonNode> EngineReadinessAsync(ApiFactory api)
    {
        var ready = await api.CreateClient().GetAsync("/health/ready");
        return JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!["decision-engine"]!;
    }
}
