using System.Net;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>
/// Issue #23, item 1 (seed 000): an Online Store Administrator with reports-only access sees Reports and nothing else,
/// only the reports of their profile. The profile limits what their roles and grants give, and decisions, effective
/// permissions, the permission matrix and the data scope all agree.
/// </summary>
public sealed class ReportsOnlyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Reports_only_holds_no_full_store_access_and_only_the_profiles_reports_everywhere()
    {
        var admin = await api.CreateTenantAsync();
        var store = (string)
            (await (await admin.PostAsync("online-stores", new { code = "web", name = "Web" })).ReadAsync())["id"]!;
        var osa = (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = "Olga",
                        lastName = "Shop",
                        loginCode = "oshop",
                        type = "OnlineStoreAdministrator",
                        onlineStoreId = store,
                        accessMode = "ReportsOnly",
                        reportCodes = new[] { "invoices" },
                    }
                )
            )["id"]!;
        await admin.GiveRoleAsync(osa, "Online Store Administrator");

        Assert.False(await AllowedAsync(admin, osa, "online-store-full-access"));
        Assert.True(await AllowedAsync(admin, osa, "online-store-report-invoices"));
        Assert.False(await AllowedAsync(admin, osa, "online-store-report-open-orders"));
        var held = (await (await admin.GetAsync($"users/{osa}/effective-permissions")).ReadAsync())["permissions"]!
            .AsArray()
            .Select(p => (string)p!["code"]!)
            .Where(c => c.StartsWith("online-store-", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(["online-store-report-invoices"], held);
        var matrix = await (await admin.GetAsync("reports/permission-matrix?format=json")).ReadAsync();
        var cells = matrix["users"]!.AsArray().Single(u => (string)u!["userId"]! == osa)!["permissions"]!.AsObject();
        Assert.False(cells.ContainsKey("online-store-full-access"));
        Assert.True(cells.ContainsKey("online-store-report-invoices"));
        var scope = await (await admin.GetAsync($"users/{osa}/data-scope")).ReadAsync();
        Assert.Equal("ReportsOnly", (string)scope["access"]!);

        // Full store access in the profile: the role's full access applies again.
        var user = await admin.GetAsync($"users/{osa}");
        var full = await admin.PutAsync(
            $"users/{osa}",
            new
            {
                firstName = "Olga",
                lastName = "Shop",
                loginCode = "oshop",
                type = "OnlineStoreAdministrator",
                onlineStoreId = store,
                accessMode = "FullStoreAccess",
            },
            user.Headers.ETag!.Tag
        );
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.True(await AllowedAsync(admin, osa, "online-store-full-access"));
    }

    private static async Task<bool> AllowedAsync(TenantClient admin, string user, string feature)
    {
        var response = await admin.PostAsync("authorization/check", new { userId = user, feature });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (bool)(await response.ReadAsync())["allowed"]!;
    }
}
