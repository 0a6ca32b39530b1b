using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>Seed 000's data scopes, one per back-office type, and nothing for inactive or untyped users.</summary>
public sealed class DataScopeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Each_back_office_type_has_its_data_scope()
    {
        var admin = await api.CreateTenantAsync();
        async Task<JsonObject> Scope(string id) => await (await admin.GetAsync($"users/{id}/data-scope")).ReadAsync();

        var pc = (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = "Paul",
                        lastName = "Koch",
                        loginCode = "pc",
                        type = "ProductionCoordinator",
                    }
                )
            )["id"]!;
        var ae = (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = "Anna",
                        lastName = "Egger",
                        loginCode = "ae",
                        type = "AccountExecutive",
                        productionCoordinatorIds = new[] { pc },
                        password = "ae-password-1",
                    }
                )
            )["id"]!;
        var store = (string)
            (await (await admin.PostAsync("online-stores", new { code = "shop", name = "Shop" })).ReadAsync())["id"]!;
        var osa = (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = "Olga",
                        lastName = "Steiner",
                        loginCode = "osa",
                        type = "OnlineStoreAdministrator",
                        onlineStoreId = store,
                        accessMode = "ReportsOnly",
                        reportCodes = new[] { "sales-summary" },
                    }
                )
            )["id"]!;
        var none = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Pos", "Only")))["id"]!;

        Assert.Equal("Tenant", (string)(await Scope(admin.UserId!))["kind"]!);
        var pcScope = await Scope(pc);
        Assert.Equal("AccountExecutives", (string)pcScope["kind"]!);
        Assert.Equal([ae], pcScope["accountExecutiveIds"]!.AsArray().Select(x => (string)x!));
        Assert.Equal("Own", (string)(await Scope(ae))["kind"]!);
        var osaScope = await Scope(osa);
        Assert.Equal(
            ("OnlineStore", store, "ReportsOnly"),
            ((string)osaScope["kind"]!, (string)osaScope["onlineStoreId"]!, (string)osaScope["access"]!)
        );
        Assert.Equal(["sales-summary"], osaScope["reportCodes"]!.AsArray().Select(x => (string)x!));
        Assert.Equal("None", (string)(await Scope(none))["kind"]!);

        await admin.PostAsync($"users/{osa}/deactivate", null);
        Assert.Equal("None", (string)(await Scope(osa))["kind"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"users/{Guid.NewGuid()}/data-scope")).StatusCode);

        // An AE may see their own scope, not the PC's.
        var self = new TenantClient(api.CreateClient(), admin.Tenant);
        await self.LogInAsync("ae", "ae-password-1");
        Assert.Equal("Own", (string)(await (await self.GetAsync($"users/{ae}/data-scope")).ReadAsync())["kind"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await self.GetAsync($"users/{pc}/data-scope")).StatusCode);
    }
}
