using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.SalePoints;

/// <summary>
/// Sale points and stores (issue #4): created, edited with If-Match, listed, deactivated and reactivated.
/// </summary>
public sealed class LocationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static object SalePoint(string code, string name = "Main Street", string country = "AT") =>
        new
        {
            code,
            name,
            address = new
            {
                lines = new[] { "Hauptstraße 1" },
                postalCode = "1010",
                city = "Wien",
                country,
            },
        };

    [Fact]
    public async Task Sale_points_are_created_edited_with_if_match_deactivated_and_reactivated()
    {
        var admin = await api.CreateTenantAsync();
        var created = await admin.PostAsync("sale-points", SalePoint("SP1"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var salePoint = await created.ReadAsync();
        var id = (string)salePoint["id"]!;
        Assert.Equal($"/api/tenants/{admin.Tenant}/sale-points/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("Wien", (string)salePoint["address"]!["city"]!);
        Assert.True((bool)salePoint["isActive"]!);

        var read = await admin.GetAsync($"sale-points/{id}");
        var etag = read.Headers.ETag!.Tag;
        var renamed = await admin.PutAsync($"sale-points/{id}", SalePoint("SP1", "Ring"), etag);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Ring", (string)(await renamed.ReadAsync())["name"]!);
        Assert.Equal(
            HttpStatusCode.PreconditionFailed,
            (await admin.PutAsync($"sale-points/{id}", SalePoint("SP1", "Stale"), etag)).StatusCode
        );

        var deactivated = await admin.PostAsync($"sale-points/{id}/deactivate", new { reason = "renovation" });
        Assert.False((bool)(await deactivated.ReadAsync())["isActive"]!);
        async Task<string[]> Codes(string query) =>
            (await (await admin.GetAsync(query)).ReadAsync())["items"]!
                .AsArray()
                .Select(s => (string)s!["code"]!)
                .ToArray();
        Assert.Empty(await Codes("sale-points"));
        Assert.Equal(["SP1"], await Codes("sale-points?status=inactive"));
        Assert.Equal(["SP1"], await Codes("sale-points?status=all"));
        Assert.Equal(["status"], (await (await admin.GetAsync("sale-points?status=closed")).ErrorsAsync()).Keys);
        Assert.True(
            (bool)(await (await admin.PostAsync($"sale-points/{id}/reactivate", null)).ReadAsync())["isActive"]!
        );
        Assert.Equal(["SP1"], await Codes("sale-points"));

        // Every change is in the audit log with its reason.
        var audit = (await (await admin.GetAsync($"audit?subject={id}")).ReadAsync())["items"]!.AsArray();
        Assert.Equal(
            ["location_reactivated", "location_deactivated", "location_changed", "location_opened"],
            audit.Select(e => (string)e!["type"]!)
        );
        Assert.Equal("renovation", (string)audit[1]!["data"]!["Reason"]!);
    }

    [Fact]
    public async Task Stores_are_created_edited_with_if_match_deactivated_and_reactivated()
    {
        var admin = await api.CreateTenantAsync();
        var created = await admin.PostAsync("stores", new { code = "ST1", name = "Lager Nord" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await created.ReadAsync())["id"]!;
        Assert.Equal($"/api/tenants/{admin.Tenant}/stores/{id}", created.Headers.Location!.OriginalString);

        var etag = (await admin.GetAsync($"stores/{id}")).Headers.ETag!.Tag;
        var renamed = await admin.PutAsync($"stores/{id}", new { code = "ST1", name = "Lager Süd" }, etag);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Lager Süd", (string)(await renamed.ReadAsync())["name"]!);
        Assert.Equal(
            HttpStatusCode.PreconditionFailed,
            (await admin.PutAsync($"stores/{id}", new { code = "ST1", name = "Stale" }, etag)).StatusCode
        );
        // A store is not a sale point: each kind has its own routes.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"sale-points/{id}")).StatusCode);

        Assert.False(
            (bool)
                (await (await admin.PostAsync($"stores/{id}/deactivate", new { reason = "closed" })).ReadAsync())[
                    "isActive"
                ]!
        );
        async Task<string[]> Codes(string query) =>
            [.. (await (await admin.GetAsync(query)).ReadAsync())["items"]!.AsArray().Select(s => (string)s!["code"]!)];
        Assert.Empty(await Codes("stores"));
        Assert.Equal(["ST1"], await Codes("stores?status=inactive"));
        // Deactivating what is inactive already changes nothing (the audit below has one deactivation).
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PostAsync($"stores/{id}/deactivate", new { reason = "again" })).StatusCode
        );
        Assert.True((bool)(await (await admin.PostAsync($"stores/{id}/reactivate", null)).ReadAsync())["isActive"]!);
        Assert.Equal(["ST1"], await Codes("stores"));

        var audit = (await (await admin.GetAsync($"audit?subject={id}")).ReadAsync())["items"]!.AsArray();
        Assert.Equal(
            ["location_reactivated", "location_deactivated", "location_changed", "location_opened"],
            audit.Select(e => (string)e!["type"]!)
        );
        Assert.Equal("closed", (string)audit[1]!["data"]!["Reason"]!);
    }

    [Fact]
    public async Task Codes_are_unique_per_kind_and_bad_input_names_the_field()
    {
        var admin = await api.CreateTenantAsync();
        await admin.PostAsync("sale-points", SalePoint("SP1"));
        var duplicate = await admin.PostAsync("sale-points", SalePoint("sp1"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(["code"], (await duplicate.ErrorsAsync()).Keys);
        // A store may carry a sale point's code; stores have no address.
        var store = await admin.PostAsync("stores", new { code = "SP1", name = "Warehouse" });
        Assert.Equal(HttpStatusCode.Created, store.StatusCode);
        var storeId = (string)(await store.ReadAsync())["id"]!;
        Assert.Equal(["address"], (await (await admin.PostAsync("stores", SalePoint("ST2"))).ErrorsAsync()).Keys);
        Assert.Equal(
            ["address.country", "code", "name"],
            (
                await (
                    await admin.PostAsync(
                        "sale-points",
                        new
                        {
                            code = "bad code",
                            name = "",
                            address = new { country = "austria" },
                        }
                    )
                ).ErrorsAsync()
            ).Keys.Order()
        );
        // A store is not found among sale points, nor an unknown id anywhere.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"sale-points/{storeId}")).StatusCode);
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PostAsync($"sale-points/{storeId}/deactivate", null)).StatusCode
        );
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"stores/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task Managing_locations_needs_can_maintain_locations_and_user_managers_may_read_them()
    {
        var admin = await api.CreateTenantAsync();
        var staff = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Us", "Ers", "usermgr", password: "user-manager-pw-1")))[
                "id"
            ]!;
        var role = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        new
                        {
                            name = "User managers",
                            grants = new[] { new { featureCode = "can-maintain-employee-data" } },
                        }
                    )
                ).ReadAsync()
            )["id"]!;
        await admin.Http.PutAsync(admin.Url($"users/{staff}/roles/{role}"), null);
        var manager = new TenantClient(api.CreateClient(), admin.Tenant);
        await manager.LogInAsync("usermgr", "user-manager-pw-1");

        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync("sale-points", SalePoint("SP9"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("sale-points")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("stores")).StatusCode);
        var other = await api.CreateTenantAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await other.Http.GetAsync(admin.Url("sale-points"))).StatusCode);
    }
}
