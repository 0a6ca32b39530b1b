using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using OrderStream.BuildingBlocks;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

/// <summary>
/// The service's own metrics (issue #22) are recorded where the work happens; what an OTLP exporter sends is what a
/// listener hears here. Other classes run at once, so counts are at least, not exactly, this test's own.
/// </summary>
public sealed class TelemetryTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Decisions_engine_loads_lockouts_and_deliveries_are_measured()
    {
        var heard = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Telemetry.MeterName)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>(
            (i, value, _, _) => heard.AddOrUpdate(i.Name, value, (_, v) => v + value)
        );
        listener.SetMeasurementEventCallback<double>((i, value, _, _) => heard.AddOrUpdate(i.Name, 1, (_, v) => v + 1));
        listener.Start();

        var admin = await api.CreateTenantAsync(); // a new tenant: loaded into the engine on its first decision
        var user = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "measured", password: "right-pass-1")))["id"]!;
        var checks = Enumerable.Range(0, 3).Select(_ => new { userId = user, feature = "can-move-stock" }).ToArray();
        Assert.True((await admin.PostAsync("authorization/check-many", new { checks })).IsSuccessStatusCode);
        for (var i = 0; i < 5; i++)
            await admin.Http.PostAsJsonAsync(
                admin.Url("auth/login"),
                new { loginCode = "measured", password = "wrong" }
            );
        await api.WaitForDeliveryAsync();

        Assert.True(heard.GetValueOrDefault("orderstream.decisions") >= 3);
        Assert.True(heard.GetValueOrDefault("orderstream.engine.load.duration") >= 1);
        Assert.True(heard.GetValueOrDefault("orderstream.logins.lockouts") >= 1);
        Assert.True(heard.GetValueOrDefault("orderstream.events.delivered") >= 1);
        Assert.True(heard.GetValueOrDefault("orderstream.events.delivery.delay") >= 1);
    }
}
