using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>
/// Two instances of the service on one database: a change made through one is decided on by the other within a second.
/// The second is a wall-clock bound, so these run alone, after the classes that run in parallel (issue #19: measured
/// while thirty other classes loaded the same PostgreSQL, the bound said more about the machine than the service).
/// </summary>
[Collection(Alone.Name)]
public sealed class TwoInstanceTests
{
    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(5))
                throw new TimeoutException("the other instance never saw the change");
            await Task.Delay(20);
        }
        return watch.Elapsed;
    }

    [Fact]
    public async Task Role_edits_grants_and_deactivations_on_one_instance_reach_the_other_within_a_second()
    {
        var database = Database.Create();
        await using var one = new ApiFactory(database, null, null);
        await using var two = new ApiFactory(database, null, null);
        var admin = await one.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Two", "Places")))["id"]!;
        var role = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        new
                        {
                            name = "Movers",
                            grants = new[] { new { featureCode = "can-move-stock", qualifier = (int?)1 } },
                        }
                    )
                ).ReadAsync()
            )["id"]!;
        await admin.Http.PutAsync(admin.Url($"users/{user}/roles/{role}"), null);

        var other = new TenantClient(two.CreateClient(), admin.Tenant);
        await other.LogInAsync("admin", TenantClient.AdminPassword);
        async Task<JsonObject> Check(int? minQualifier = null) =>
            await (
                await other.PostAsync(
                    "authorization/check",
                    new
                    {
                        userId = user,
                        feature = "can-move-stock",
                        minQualifier,
                    }
                )
            ).ReadAsync();
        Assert.True((bool)(await Check(1))["allowed"]!); // the second instance loads the tenant and knows the user

        // A role edit on the first instance...
        var read = await admin.GetAsync($"roles/{role}");
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await admin.PutAsync(
                    $"roles/{role}",
                    new
                    {
                        name = "Movers",
                        grants = new[] { new { featureCode = "can-move-stock", qualifier = (int?)5 } },
                    },
                    read.Headers.ETag!.Tag
                )
            ).StatusCode
        );
        Assert.True(await UntilAsync(async () => (int?)(await Check())["qualifier"] == 5) < TimeSpan.FromSeconds(1));

        // ...a direct grant...
        await admin.PutAsync($"users/{user}/grants/can-move-stock", new { qualifier = 9 });
        Assert.True(await UntilAsync(async () => (int?)(await Check())["qualifier"] == 9) < TimeSpan.FromSeconds(1));

        // ...and a deactivation in Identity all reach the second instance.
        await admin.PostAsync($"users/{user}/deactivate", null);
        Assert.True(await UntilAsync(async () => !(bool)(await Check())["allowed"]!) < TimeSpan.FromSeconds(1));
        Assert.Equal("user-inactive", (string)(await Check())["reasons"]![0]!["code"]!);
    }

    [Fact]
    public async Task An_instance_loads_every_tenant_into_the_engine_before_it_is_ready()
    {
        var database = Database.Create();
        await using var one = new ApiFactory(database, null, null);
        var first = await one.CreateTenantAsync();
        var second = await one.CreateTenantAsync();
        await first.CreateUserAsync(TenantClient.NewUser("Early", "Bird"));

        await using var two = new ApiFactory(database, null, null);
        var probe = two.CreateClient();
        var watch = Stopwatch.StartNew();
        while ((await probe.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the second instance never became ready");
            await Task.Delay(20);
        }
        // Ready, and no request has named either tenant: both were loaded at start-up.
        var engine = two.Services.GetRequiredService<OrderStream.Modules.Roles.Decisions.Engine.AccessEngine>();
        Assert.True(engine.IsLoaded(first.Tenant));
        Assert.True(engine.IsLoaded(second.Tenant));
        Assert.False(engine.IsLoaded("no-such-tenant"));
    }
}
