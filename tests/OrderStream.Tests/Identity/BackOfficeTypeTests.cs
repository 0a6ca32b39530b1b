using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

/// <summary>Seed 000's four back-office user types and the PC ↔ AE rules (ADR 0006).</summary>
public sealed class BackOfficeTypeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static object Pc(string login, params string[] aes) =>
        new
        {
            firstName = "Paul",
            lastName = "Koch",
            loginCode = login,
            type = "ProductionCoordinator",
            accountExecutiveIds = aes,
        };

    private static object Ae(string login, string[] pcs, string? salespersonId = null) =>
        new
        {
            firstName = "Anna",
            lastName = "Egger",
            loginCode = login,
            type = "AccountExecutive",
            productionCoordinatorIds = pcs,
            salespersonId,
        };

    [Fact]
    public async Task The_first_pc_may_be_saved_unlinked_and_is_flagged_until_an_ae_links_to_it_and_both_show_it()
    {
        var admin = await api.CreateTenantAsync();
        var pc = await admin.CreateUserAsync(Pc("pc1"));
        Assert.True((bool)pc["needsAssignment"]!);
        var pcId = (string)pc["id"]!;
        Assert.Equal(
            ["pc1"],
            (await (await admin.GetAsync("users?needsAssignment=true")).ReadAsync())["items"]!
                .AsArray()
                .Select(i => (string)i!["loginCode"]!)
        );

        // Now a PC exists, so an AE must name one.
        var lonely = await admin.PostAsync("users", Ae("ae0", []));
        Assert.Equal(HttpStatusCode.BadRequest, lonely.StatusCode);
        Assert.Equal(["productionCoordinatorIds"], (await lonely.ErrorsAsync()).Keys);

        var ae = await admin.CreateUserAsync(Ae("ae1", [pcId], "SP-1"));
        Assert.Equal([pcId], ae["productionCoordinatorIds"]!.AsArray().Select(x => (string)x!));
        Assert.False((bool)ae["needsAssignment"]!);
        var pcNow = await (await admin.GetAsync($"users/{pcId}")).ReadAsync();
        Assert.Equal([(string)ae["id"]!], pcNow["accountExecutiveIds"]!.AsArray().Select(x => (string)x!));
        Assert.False((bool)pcNow["needsAssignment"]!);
    }

    [Fact]
    public async Task Removing_the_last_link_of_an_active_pc_or_ae_is_refused_with_a_clear_message()
    {
        var admin = await api.CreateTenantAsync();
        var pc1 = (string)(await admin.CreateUserAsync(Pc("pc1")))["id"]!;
        var ae = (string)(await admin.CreateUserAsync(Ae("ae1", [pc1])))["id"]!;

        var dropAe = await admin.PutAsync($"users/{pc1}", Pc("pc1"));
        Assert.Equal(HttpStatusCode.Conflict, dropAe.StatusCode);
        Assert.Contains(
            "Anna Egger would be left without any production coordinator",
            (string)(await dropAe.ReadAsync())["detail"]!
        );

        var pc2 = (string)(await admin.CreateUserAsync(Pc("pc2", ae)))["id"]!;
        Assert.Equal(
            2,
            (await (await admin.GetAsync($"users/{ae}")).ReadAsync())["productionCoordinatorIds"]!.AsArray().Count
        );

        // pc1's only AE is this one, so the AE cannot let go of pc1 while pc1 is active…
        var dropPc = await admin.PutAsync($"users/{ae}", Ae("ae1", [pc2]));
        Assert.Equal(HttpStatusCode.Conflict, dropPc.StatusCode);
        Assert.Contains(
            "Paul Koch would be left without any account executive",
            (string)(await dropPc.ReadAsync())["detail"]!
        );

        // …but once pc1 is inactive it may, and the unlink shows on both sides.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"users/{pc1}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"users/{ae}", Ae("ae1", [pc2]))).StatusCode);
        Assert.Empty((await (await admin.GetAsync($"users/{pc1}")).ReadAsync())["accountExecutiveIds"]!.AsArray());
    }

    [Fact]
    public async Task Only_active_users_of_the_counterpart_type_can_be_newly_linked_and_deactivation_keeps_links()
    {
        var admin = await api.CreateTenantAsync();
        var pcId = (string)(await admin.CreateUserAsync(Pc("pc1")))["id"]!;
        var aeId = (string)(await admin.CreateUserAsync(Ae("ae1", [pcId])))["id"]!;
        var bgm = (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = "B",
                        lastName = "G",
                        loginCode = "bgm",
                        type = "BusinessGroupManager",
                    }
                )
            )["id"]!;

        var wrongType = await admin.PostAsync("users", Ae("ae2", [bgm]));
        Assert.Equal(["productionCoordinatorIds"], (await wrongType.ErrorsAsync()).Keys);
        var unknown = await admin.PostAsync("users", Ae("ae3", [Guid.NewGuid().ToString()]));
        Assert.Equal(["productionCoordinatorIds"], (await unknown.ErrorsAsync()).Keys);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"users/{pcId}/deactivate", null)).StatusCode);
        Assert.Equal(
            [aeId],
            (await (await admin.GetAsync($"users/{pcId}")).ReadAsync())["accountExecutiveIds"]!
                .AsArray()
                .Select(x => (string)x!)
        );
        var inactive = await admin.PostAsync("users", Ae("ae4", [pcId]));
        Assert.Equal(HttpStatusCode.BadRequest, inactive.StatusCode);
        Assert.Contains("inactive", (await inactive.ErrorsAsync())["productionCoordinatorIds"][0]);
    }

    [Fact]
    public async Task Profile_fields_belong_to_their_type_and_the_salesperson_id_is_unique()
    {
        var admin = await api.CreateTenantAsync();
        var misplaced = await admin.PostAsync(
            "users",
            new
            {
                firstName = "B",
                lastName = "G",
                loginCode = "bgm",
                type = "BusinessGroupManager",
                salespersonId = "S1",
            }
        );
        Assert.Equal(["salespersonId"], (await misplaced.ErrorsAsync()).Keys);

        var pcId = (string)(await admin.CreateUserAsync(Pc("pc1")))["id"]!;
        await admin.CreateUserAsync(Ae("ae1", [pcId], "SP-7"));
        var duplicate = await admin.PostAsync("users", Ae("ae2", [pcId], "sp-7"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(["salespersonId"], (await duplicate.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task An_osa_has_exactly_one_existing_online_store_an_access_mode_and_reports_from_the_catalogue()
    {
        var admin = await api.CreateTenantAsync();
        var store = await (
            await admin.PostAsync("online-stores", new { code = "shop", name = "Web Shop" })
        ).ReadAsync();
        var storeId = (string)store["id"]!;

        var missing = await admin.PostAsync(
            "users",
            new
            {
                firstName = "O",
                lastName = "S",
                loginCode = "osa",
                type = "OnlineStoreAdministrator",
            }
        );
        Assert.Equal(new[] { "accessMode", "onlineStoreId" }, (await missing.ErrorsAsync()).Keys.Order());
        var unknownStore = await admin.PostAsync(
            "users",
            new
            {
                firstName = "O",
                lastName = "S",
                loginCode = "osa",
                type = "OnlineStoreAdministrator",
                onlineStoreId = Guid.NewGuid().ToString(),
                accessMode = "FullStoreAccess",
            }
        );
        Assert.Equal(["onlineStoreId"], (await unknownStore.ErrorsAsync()).Keys);
        var badReport = await admin.PostAsync(
            "users",
            new
            {
                firstName = "O",
                lastName = "S",
                loginCode = "osa",
                type = "OnlineStoreAdministrator",
                onlineStoreId = storeId,
                accessMode = "ReportsOnly",
                reportCodes = new[] { "secret-report" },
            }
        );
        Assert.Contains("reportCodes[0]", (await badReport.ErrorsAsync()).Keys);

        var osa = await admin.CreateUserAsync(
            new
            {
                firstName = "O",
                lastName = "S",
                loginCode = "osa",
                type = "OnlineStoreAdministrator",
                onlineStoreId = storeId,
                accessMode = "ReportsOnly",
                reportCodes = new[] { "sales-summary", "open-orders" },
            }
        );
        Assert.Equal(storeId, (string)osa["onlineStoreId"]!);
        Assert.Equal("ReportsOnly", (string)osa["accessMode"]!);
    }

    [Fact]
    public async Task Online_stores_have_unique_codes_and_honour_if_match()
    {
        var admin = await api.CreateTenantAsync();
        var created = await admin.PostAsync("online-stores", new { code = "shop", name = "Web Shop" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)(await created.ReadAsync())["id"]!;
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await admin.PostAsync("online-stores", new { code = "SHOP", name = "Again" })).StatusCode
        );
        Assert.Equal(
            ["code"],
            (await (await admin.PostAsync("online-stores", new { code = "", name = "x" })).ErrorsAsync()).Keys
        );

        var etag = (await admin.GetAsync($"online-stores/{id}")).Headers.ETag!.Tag;
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync($"online-stores/{id}", new { code = "shop", name = "Renamed" }, etag)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.PreconditionFailed,
            (await admin.PutAsync($"online-stores/{id}", new { code = "shop", name = "Stale" }, etag)).StatusCode
        );
        var list = await (await admin.GetAsync("online-stores")).ReadAsync();
        Assert.Equal(["Renamed"], list["items"]!.AsArray().Select(s => (string)s!["name"]!));
    }
}
