using System.Net;
using Npgsql;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.FaultTests;

/// <summary>
/// Issue #22: with every pooled connection taken, requests waited 15 s and then answered 500, while readiness said
/// "PostgreSQL does not answer", so a load balancer would have dropped a healthy instance.
/// </summary>
public sealed class SaturationTests
{
    [Fact]
    public async Task A_saturated_pool_answers_503_soon_and_readiness_says_saturated_not_down()
    {
        await using var pg = await OwnPostgres.StartAsync();
        await using var api = new ApiFactory(pg.ConnectionString + ";Maximum Pool Size=6;Timeout=2", null);
        var admin = await api.CreateTenantAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("users")).StatusCode);

        // Every connection the pool has left, taken and held.
        var pool = api.Services.GetService(typeof(NpgsqlDataSource)) as NpgsqlDataSource;
        var held = new List<NpgsqlConnection>();
        try
        {
            while (true)
                held.Add(await pool!.OpenConnectionAsync());
        }
        catch (NpgsqlException) { }
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var refused = await admin.GetAsync("users");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"answered after {watch.Elapsed}");
            var ready = await api.CreateClient().GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var body = await ready.ReadAsync();
            Assert.Equal("Degraded", (string)body["status"]!);
            Assert.Equal("Degraded", (string)body["checks"]!["postgres"]!["status"]!);
        }
        finally
        {
            foreach (var connection in held)
                await connection.DisposeAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("users")).StatusCode);
    }
}
