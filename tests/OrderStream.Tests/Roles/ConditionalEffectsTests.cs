using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>
/// Issue #23 item 4: effects that depend on a tenant setting (seed 001: "if 'Secure Stock Adjustments' is ticked") or
/// on a second feature ("Secure Symbols Configs also require 'Is Config Admin'") apply only where those hold.
/// </summary>
public sealed class ConditionalEffectsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_effect_that_hangs_on_a_setting_applies_only_while_the_tenant_has_it_on()
    {
        var admin = await api.CreateTenantAsync();
        var clerk = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Stefan", "Lager", "slager")))["id"]!;
        await admin.PostAsync("roles", TenantClient.RoleBody("Stock clerk", ("can-record-stock-adjustment", 1)));
        await admin.GiveRoleAsync(clerk, "Stock clerk");

        var read = await admin.GetAsync("feature-settings");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var settings = (await read.ReadAsync())["settings"]!.AsArray();
        Assert.Contains(settings, s => (string)s!["code"]! == "secure-stock-adjustments" && !(bool)s["on"]!);
        Assert.Equal(
            ["Stocktake: Journal stock differences and Close"],
            await TargetsAsync(admin, clerk, "can-record-stock-adjustment")
        );

        var on = await admin.PutAsync(
            "feature-settings",
            new { values = new Dictionary<string, bool> { ["secure-stock-adjustments"] = true } },
            read.Headers.ETag!.Tag
        );
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.Equal(
            [
                "Record Stock Adjustment",
                "Record Stock Adjustment: GL Account",
                "Stocktake: Journal stock differences and Close",
            ],
            (await TargetsAsync(admin, clerk, "can-record-stock-adjustment")).Order()
        );
        var audit = (await (await admin.GetAsync("audit?type=feature_setting_changed")).ReadAsync())["items"]!;
        Assert.Equal("Setting 'Secure Stock Adjustments': off → on.", (string)audit.AsArray().Single()!["summary"]!);

        // Never silently over a newer version, and only settings the catalogue names, each named when refused.
        Assert.Equal(
            HttpStatusCode.PreconditionFailed,
            (
                await admin.PutAsync(
                    "feature-settings",
                    new { values = new Dictionary<string, bool> { ["secure-stock-adjustments"] = false } },
                    read.Headers.ETag!.Tag
                )
            ).StatusCode
        );
        Assert.Equal(
            ["values.no-such-setting"],
            (
                await (
                    await admin.PutAsync(
                        "feature-settings",
                        new { values = new Dictionary<string, bool> { ["no-such-setting"] = true } }
                    )
                ).ErrorsAsync()
            ).Keys
        );
        Assert.Equal(["values"], (await (await admin.PutAsync("feature-settings", new { })).ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task An_effect_that_needs_a_second_feature_applies_only_to_holders_of_both()
    {
        var admin = await api.CreateTenantAsync();
        var it = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Ines", "Technik", "itechnik")))["id"]!;
        await admin.PostAsync("roles", TenantClient.RoleBody("Config admin", ("is-config-admin", null)));
        await admin.GiveRoleAsync(it, "Config admin");
        Assert.DoesNotContain("Secure Symbols Config", await TargetsAsync(admin, it, "is-config-admin"));

        await admin.PostAsync("roles", TenantClient.RoleBody("Config keeper", ("can-maintain-config", null)));
        await admin.GiveRoleAsync(it, "Config keeper");
        Assert.Contains("Secure Symbols Config", await TargetsAsync(admin, it, "is-config-admin"));
        Assert.Contains("Secure Symbols Config", await TargetsAsync(admin, it, "can-maintain-config"));
    }

    private static async Task<string[]> TargetsAsync(TenantClient admin, string user, string feature)
    {
        var permissions = (await (await admin.GetAsync($"users/{user}/effective-permissions")).ReadAsync())[
            "permissions"
        ]!.AsArray();
        return permissions.Single(p => (string)p!["code"]! == feature)!["effects"]!
            .AsArray()
            .Select(e => (string)e!["target"]!)
            .ToArray();
    }
}
