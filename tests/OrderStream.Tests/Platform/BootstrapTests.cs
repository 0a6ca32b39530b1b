using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.Host;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

public sealed class BootstrapTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private Task<int> Run(params string[] args) =>
        Bootstrap.RunAsync(api.Services, api.Services.GetRequiredService<IConfiguration>(), args);

    [Fact]
    public async Task Bootstrap_is_idempotent_and_the_admin_can_log_in()
    {
        string[] args =
        [
            "--tenant",
            "idem",
            "--name",
            "Idem Ltd",
            "--time-zone",
            "Europe/Vienna",
            "--currency",
            "EUR",
            "--admin-login",
            "admin",
            "--admin-password",
            TenantClient.AdminPassword,
        ];
        Assert.Equal(0, await Run(args));
        Assert.Equal(0, await Run(args));
        var admin = new TenantClient(api.CreateClient(), "idem");
        await admin.LogInAsync("admin", TenantClient.AdminPassword);
        Assert.Equal(1, (long)(await (await admin.GetAsync("users")).ReadAsync())["total"]!);
    }

    [Fact]
    public async Task The_demo_switch_seeds_users_of_every_type()
    {
        Assert.Equal(0, await Run("--demo"));
        var admin = new TenantClient(api.CreateClient(), "demo");
        await admin.LogInAsync("admin", OrderStream.Modules.Identity.IdentityBootstrap.DemoPassword);
        var users = await (await admin.GetAsync("users?pageSize=50")).ReadAsync();
        var types = users["items"]!.AsArray().Select(u => (string?)u!["type"]).Distinct().ToList();
        Assert.Equal(4, types.Count(t => t is not null));

        // Each demo user holds the rights of their type: the BGM their eight, the reports-only OSA just her two
        // reports.
        async Task<string[]> Rights(string login)
        {
            var id = (string)users["items"]!.AsArray().Single(u => (string)u!["loginCode"]! == login)!["id"]!;
            return (await (await admin.GetAsync($"users/{id}/effective-permissions")).ReadAsync())["permissions"]!
                .AsArray()
                .Select(p => (string)p!["code"]!)
                .ToArray();
        }
        // The default BGM role: the eight BGM rights and the two PC rights reserved for administrators elsewhere.
        Assert.Equal(10, (await Rights("bgruber")).Length);
        Assert.Contains("may-see-commissions", await Rights("aegger"));
        Assert.Equal(
            ["online-store-report-open-orders", "online-store-report-sales-summary"],
            (await Rights("osteiner")).Order()
        );

        // Sale points and stores, and the users at them: the managers at all, a cashier at one, with a default store.
        Assert.Equal(3, (int)(await (await admin.GetAsync("sale-points")).ReadAsync())["total"]!);
        Assert.Equal(2, (int)(await (await admin.GetAsync("stores")).ReadAsync())["total"]!);
        var places = users["items"]!.AsArray().ToDictionary(u => (string)u!["loginCode"]!, u => u!);
        // The list's sale points are Identity's read model, brought up to date by events: asked of their owner instead.
        async Task<int> SalePoints(string login) =>
            (await (await admin.GetAsync($"users/{places[login]["id"]}/sale-points")).ReadAsync())["salePoints"]!
                .AsArray()
                .Count;
        Assert.Equal(3, await SalePoints("bgruber"));
        Assert.Equal(8, places.Values.Count(u => u["type"] is null && !(bool)u["isSystemAdministrator"]!));
        var cashier = places["lbauer"];
        Assert.Equal("de", (string)cashier["language"]!);
        Assert.Equal(1, await SalePoints("lbauer"));
        var stores = await (await admin.GetAsync($"users/{cashier["id"]}/stores")).ReadAsync();
        Assert.False(string.IsNullOrEmpty((string?)stores["defaultStoreId"]));
    }

    [Theory]
    [InlineData("--tenant", "Bad Code")]
    [InlineData("--time-zone", "Mars/Olympus")]
    [InlineData("--currency", "XYZ")]
    [InlineData("--admin-password", "short")]
    public async Task Bad_arguments_are_refused_with_exit_code_2(string option, string value)
    {
        var args = new Dictionary<string, string>
        {
            ["--tenant"] = "bad-args",
            ["--name"] = "Bad",
            ["--time-zone"] = "Europe/Vienna",
            ["--currency"] = "EUR",
            ["--admin-login"] = "admin",
            ["--admin-password"] = TenantClient.AdminPassword,
            [option] = value,
        };
        Assert.Equal(2, await Run(args.SelectMany(kv => new[] { kv.Key, kv.Value }).ToArray()));
    }
}
