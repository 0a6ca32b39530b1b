using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>
/// Issue #23, item 5 (seed 001: "any secure feature can be limited so it is not available to all users"): a tenant's
/// System Administrator raises a feature's tier, never below the catalogue's; custom features get a tier, are edited,
/// deactivated and removed only when nothing gives them; everything audited, decisions following at once.
/// </summary>
public sealed class FeatureTierTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_System_Administrator_raises_a_tier_never_lowers_it_and_decisions_follow()
    {
        var admin = await api.CreateTenantAsync();
        var ulla = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Ulla", "User")))["id"]!;
        await admin.PutAsync($"users/{ulla}/grants/can-move-stock", new { });
        Assert.True(await AllowedAsync(admin, ulla, "can-move-stock"));
        var before = await admin.GetAsync("feature-tiers");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var etag = before.Headers.ETag!.Tag;

        // Ulla holds it: raised, it would silently do nothing for her.
        var refused = await admin.PutAsync(
            "feature-tiers",
            new { tiers = new Dictionary<string, string> { ["can-move-stock"] = "SystemAdministrator" } },
            etag
        );
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Ulla User", (string)(await refused.ReadAsync())["detail"]!);

        await admin.DeleteAsync($"users/{ulla}/grants/can-move-stock");
        var raised = await admin.PutAsync(
            "feature-tiers",
            new { tiers = new Dictionary<string, string> { ["can-move-stock"] = "SystemAdministrator" } },
            etag
        );
        Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
        var tier = Tier(await raised.ReadAsync(), "can-move-stock");
        Assert.Equal(("None", "SystemAdministrator"), ((string)tier["shippedTier"]!, (string)tier["tier"]!));
        var listed = (await (await admin.GetAsync("secure-features?search=can-move-stock")).ReadAsync())["items"]![0]!;
        Assert.Equal("SystemAdministrator", (string)listed["tier"]!);
        // From now on it is a System Administrator's: not given to Ulla, and the administrator holds it still.
        var grant = await admin.PutAsync($"users/{ulla}/grants/can-move-stock", new { });
        Assert.Equal(HttpStatusCode.Conflict, grant.StatusCode);
        Assert.Contains("limited to System Administrators", (string)(await grant.ReadAsync())["detail"]!);
        await admin.PutAsync($"users/{admin.UserId}/grants/can-move-stock", new { });
        Assert.True(await AllowedAsync(admin, admin.UserId!, "can-move-stock"));

        // The version read before is stale now; a shipped tier is never lowered.
        var stale = await admin.PutAsync(
            "feature-tiers",
            new { tiers = new Dictionary<string, string> { ["can-move-stock"] = "SystemManager" } },
            etag
        );
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var lowered = await admin.PutAsync(
            "feature-tiers",
            new { tiers = new Dictionary<string, string> { ["can-make-global-entities"] = "None" } }
        );
        Assert.Equal(["tiers.can-make-global-entities"], (await lowered.ErrorsAsync()).Keys);
        var unknown = await admin.PutAsync(
            "feature-tiers",
            new { tiers = new Dictionary<string, string> { ["can-move-stock"] = "Emperor" } }
        );
        Assert.Equal(["tiers.can-move-stock"], (await unknown.ErrorsAsync()).Keys);

        var audit = await (await admin.GetAsync("audit?type=feature_tier_changed")).ReadAsync();
        Assert.Contains(
            "Tier of Can Move Stock: None → SystemAdministrator.",
            audit["items"]!.AsArray().Select(e => (string)e!["summary"]!)
        );
    }

    [Fact]
    public async Task Only_a_System_Administrator_changes_tiers()
    {
        var admin = await api.CreateTenantAsync();
        var maintainers = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("Role maintainers", ("can-maintain-user-roles", null))
                    )
                ).ReadAsync()
            )["id"]!;
        var max = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Max", "Manager", "max", password: "max-password-1")))[
                "id"
            ]!;
        await admin.PutAsync($"users/{max}/roles/{maintainers}", new { });
        var client = new TenantClient(api.CreateClient(), admin.Tenant);
        await client.LogInAsync("max", "max-password-1");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("feature-tiers")).StatusCode);
        var raise = await client.PutAsync(
            "feature-tiers",
            new { tiers = new Dictionary<string, string> { ["can-move-stock"] = "SystemManager" } }
        );
        Assert.Equal(HttpStatusCode.Forbidden, raise.StatusCode);
        var limited = await client.PostAsync(
            "secure-features",
            new
            {
                code = "can-approve-refunds",
                name = "Can Approve Refunds",
                area = "sales",
                tier = "SystemManager",
            }
        );
        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal(
            "None",
            (string)Tier(await (await admin.GetAsync("feature-tiers")).ReadAsync(), "can-move-stock")["tier"]!
        );
    }

    [Fact]
    public async Task A_custom_feature_gets_a_tier_is_edited_deactivated_and_removed_once_nothing_gives_it()
    {
        var admin = await api.CreateTenantAsync();
        var created = await admin.PostAsync(
            "secure-features",
            new
            {
                code = "can-approve-refunds",
                name = "Can Approve Refunds",
                area = "sales",
                tier = "SystemManager",
            }
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("SystemManager", (string)(await created.ReadAsync())["tier"]!);
        var ulla = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Ulla", "User")))["id"]!;
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await admin.PutAsync($"users/{ulla}/grants/can-approve-refunds", new { })).StatusCode
        );
        // A custom feature's tier may come down again (it has no catalogue's tier to keep).
        var lowered = await admin.PutAsync(
            "feature-tiers",
            new { tiers = new Dictionary<string, string> { ["can-approve-refunds"] = "None" } }
        );
        Assert.Equal(HttpStatusCode.OK, lowered.StatusCode);
        Assert.Null(Tier(await lowered.ReadAsync(), "can-approve-refunds")["shippedTier"]);
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync($"users/{ulla}/grants/can-approve-refunds", new { })).StatusCode
        );
        Assert.True(await AllowedAsync(admin, ulla, "can-approve-refunds"));
        var whileActive = api.Clock.GetUtcNow().AddMinutes(30);
        api.Clock.Advance(TimeSpan.FromHours(1));

        var deactivated = await admin.PutAsync(
            "secure-features/can-approve-refunds",
            new
            {
                name = "Approves refunds",
                area = "sales",
                description = "Refunds above the till's limit",
                active = false,
            },
            "\"1\""
        );
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.Equal("\"3\"", deactivated.Headers.ETag!.Tag);
        Assert.False(await AllowedAsync(admin, ulla, "can-approve-refunds"));
        Assert.True(await AllowedAsync(admin, ulla, "can-approve-refunds", whileActive)); // as it was then
        var listed = (await (await admin.GetAsync("secure-features?search=can-approve-refunds")).ReadAsync())["items"]![
            0
        ]!;
        Assert.Equal(("Approves refunds", false), ((string)listed["name"]!, (bool)listed["active"]!));
        var again = await admin.PutAsync(
            "secure-features/can-approve-refunds",
            new
            {
                name = "Approves refunds",
                area = "sales",
                description = "Refunds above the till's limit",
                active = true,
            },
            "\"1\""
        );
        Assert.Equal(HttpStatusCode.PreconditionFailed, again.StatusCode);
        await admin.PutAsync(
            "secure-features/can-approve-refunds",
            new
            {
                name = "Approves refunds",
                area = "sales",
                description = "Refunds above the till's limit",
                active = true,
            }
        );
        Assert.True(await AllowedAsync(admin, ulla, "can-approve-refunds"));

        var held = await admin.DeleteAsync("secure-features/can-approve-refunds");
        Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
        Assert.Contains("Ulla User", (string)(await held.ReadAsync())["detail"]!);
        await admin.DeleteAsync($"users/{ulla}/grants/can-approve-refunds");
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await admin.DeleteAsync("secure-features/can-approve-refunds")).StatusCode
        );
        Assert.Empty(
            (await (await admin.GetAsync("secure-features?search=can-approve-refunds")).ReadAsync())["items"]!.AsArray()
        );
        var reused = await admin.PostAsync(
            "secure-features",
            new
            {
                code = "can-approve-refunds",
                name = "Again",
                area = "sales",
            }
        );
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        var shipped = await admin.PutAsync(
            "secure-features/can-move-stock",
            new
            {
                name = "Mine now",
                area = "stock",
                active = false,
            }
        );
        Assert.Equal(HttpStatusCode.Conflict, shipped.StatusCode);

        Assert.Equal(
            [
                "Custom secure feature 'Approves refunds' (can-approve-refunds) activated again.",
                "Custom secure feature 'Approves refunds' (can-approve-refunds) deactivated: it gives nothing to its "
                    + "holders.",
            ],
            await SummariesAsync(admin, "custom_feature_active_changed")
        );
        Assert.Equal(
            ["Custom secure feature 'Approves refunds' (can-approve-refunds) removed."],
            await SummariesAsync(admin, "custom_feature_removed")
        );
        Assert.Equal(
            [
                "Custom secure feature 'Can Approve Refunds' (can-approve-refunds) edited: "
                    + "name 'Can Approve Refunds' → 'Approves refunds'; "
                    + "description '' → 'Refunds above the till's limit'.",
            ],
            await SummariesAsync(admin, "custom_feature_edited")
        );
    }

    private static async Task<List<string>> SummariesAsync(TenantClient admin, string type) =>
        [
            .. (await (await admin.GetAsync($"audit?type={type}")).ReadAsync())["items"]!
                .AsArray()
                .Select(e => (string)e!["summary"]!)
                .Order(StringComparer.Ordinal),
        ];

    private static JsonNode Tier(JsonObject tiers, string code) =>
        tiers["features"]!.AsArray().Single(f => (string)f!["code"]! == code)!;

    private static async Task<bool> AllowedAsync(
        TenantClient admin,
        string user,
        string feature,
        DateTimeOffset? asOf = null
    ) =>
        (bool)
            (
                await (
                    await admin.PostAsync(
                        "authorization/check",
                        new
                        {
                            userId = user,
                            feature,
                            asOf,
                        }
                    )
                ).ReadAsync()
            )["allowed"]!;
}
