using System.Net;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>
/// Issue #6's escalation guard: with "grant only what you hold" on, nobody gives more than they hold themselves.
/// </summary>
public sealed class GrantOnlyWhatYouHoldTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task With_the_setting_on_a_manager_gives_only_features_they_hold_at_no_higher_qualifier()
    {
        var admin = await api.CreateTenantAsync();
        Assert.False((bool)(await (await admin.GetAsync("access-settings")).ReadAsync())["grantOnlyWhatYouHold"]!);
        var managers = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody(
                            "User managers",
                            ("may-access-back-office-users", null),
                            ("can-maintain-user-roles", null),
                            ("manage-order-discounts", 10)
                        )
                    )
                ).ReadAsync()
            )["id"]!;
        var big = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("Big discounts", ("manage-order-discounts", 25))
                    )
                ).ReadAsync()
            )["id"]!;
        var small = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("Small discounts", ("manage-order-discounts", 5))
                    )
                ).ReadAsync()
            )["id"]!;
        var manager = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Max", "Manager", "max", password: "max-password-1")))[
                "id"
            ]!;
        await admin.PutAsync($"users/{manager}/roles/{managers}", new { });
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Ulla", "User")))["id"]!;
        var max = new TenantClient(api.CreateClient(), admin.Tenant);
        await max.LogInAsync("max", "max-password-1");

        // Off (the default, as the manual has it): a manager may give more than they hold. That user then holds more
        // than the manager, who may no longer change them (ADR 0019).
        var other = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Olga", "Other")))["id"]!;
        Assert.Equal(
            HttpStatusCode.OK,
            (await max.PutAsync($"users/{other}/grants/manage-order-discounts", new { qualifier = 25 })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await max.PutAsync($"users/{other}/grants/manage-order-discounts", new { qualifier = 5 })).StatusCode
        );

        var on = await admin.PutAsync("access-settings", new { grantOnlyWhatYouHold = true });
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True((bool)(await on.ReadAsync())["grantOnlyWhatYouHold"]!);
        Assert.Single(
            (await (await admin.GetAsync("audit?type=access_settings_changed")).ReadAsync())["items"]!.AsArray()
        );

        async Task<string> Refusal(HttpResponseMessage response)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            return (string)(await response.ReadAsync())["detail"]!;
        }
        Assert.Equal(
            HttpStatusCode.OK,
            (await max.PutAsync($"users/{user}/grants/manage-order-discounts", new { qualifier = 10 })).StatusCode
        );
        var higher = await Refusal(
            await max.PutAsync($"users/{user}/grants/manage-order-discounts", new { qualifier = 11 })
        );
        Assert.Contains("Manage Order Discounts", higher, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("qualifier 11; you hold it with qualifier 10", higher);
        Assert.Contains(
            "do not hold it",
            await Refusal(await max.PutAsync($"users/{user}/grants/can-move-stock", new { }))
        );
        // Through a role: assigning one (tenant-wide or at a sale point), or editing one to give more.
        Assert.Contains("Big discounts", await Refusal(await max.PutAsync($"users/{user}/roles/{big}", new { })));
        Assert.Equal(HttpStatusCode.OK, (await max.PutAsync($"users/{user}/roles/{small}", new { })).StatusCode);
        var sp = await AssignmentTests.SalePointAsync(admin, "SP1");
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await max.PostAsync($"users/{user}/sale-points", new { salePointId = sp, roleId = big })).StatusCode
        );
        var role = await (await max.GetAsync($"roles/{small}")).ReadAsync();
        Assert.Contains(
            "do not hold it",
            await Refusal(
                await max.PutAsync(
                    $"roles/{small}",
                    TenantClient.RoleBody("Small discounts", ("manage-order-discounts", 5), ("can-move-stock", null)),
                    $"\"{role["version"]}\""
                )
            )
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await max.PutAsync(
                    $"roles/{small}",
                    TenantClient.RoleBody("Small discounts", ("manage-order-discounts", 8)),
                    $"\"{role["version"]}\""
                )
            ).StatusCode
        );

        // The setting is changed only by who maintains roles, and never silently over a newer version.
        var read = on.Headers.ETag!.Tag;
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync("access-settings", new { grantOnlyWhatYouHold = false }, read)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.PreconditionFailed,
            (await admin.PutAsync("access-settings", new { grantOnlyWhatYouHold = true }, read)).StatusCode
        );
        Assert.Equal(
            ["grantOnlyWhatYouHold"],
            (await (await admin.PutAsync("access-settings", new { })).ErrorsAsync()).Keys
        );
        var plain = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Pia", "Plain", "pia", password: "pia-password-1")))[
                "id"
            ]!;
        var pia = new TenantClient(api.CreateClient(), admin.Tenant);
        await pia.LogInAsync("pia", "pia-password-1");
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await pia.PutAsync("access-settings", new { grantOnlyWhatYouHold = false })).StatusCode
        );
        Assert.NotNull(plain);
    }
}
