using System.Net;
using System.Net.Http.Json;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

/// <summary>
/// Issue #6's explained changes: audit entries name the actor and say what changed, before → after; a user's whole
/// history.
/// </summary>
public sealed class ExplainedAuditTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Audit_entries_name_the_actor_and_say_what_changed_and_a_user_s_history_tells_their_whole_story()
    {
        var admin = await api.CreateTenantAsync();
        var adminName = (string)(await (await admin.GetAsync($"users/{admin.UserId}")).ReadAsync())["firstName"]!;
        var sales = await (
            await admin.PostAsync(
                "roles",
                TenantClient.RoleBody("Sales", ("manage-order-discounts", 5), ("can-see-item-buy-price", null))
            )
        ).ReadAsync();
        var roleId = (string)sales["id"]!;
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await admin.PutAsync(
                    $"roles/{roleId}",
                    TenantClient.RoleBody("Sales team", ("manage-order-discounts", 10), ("can-move-stock", null)),
                    $"\"{sales["version"]}\""
                )
            ).StatusCode
        );

        var edit = (await (await admin.GetAsync($"audit?subject={roleId}")).ReadAsync())["items"]![0]!;
        Assert.Equal("role_edited", (string)edit["type"]!);
        Assert.Equal(
            "Role 'Sales' edited: renamed 'Sales' → 'Sales team'; description 'Sales role' → 'Sales team role'; "
                + "qualifier 5 → qualifier 10 on Manage Order Discounts; "
                + "added Can Move Stock; removed Can See Item Buy Price.",
            (string)edit["summary"]!
        );
        Assert.Equal(admin.UserId, (string)edit["actor"]!);
        Assert.StartsWith(adminName, (string)edit["actorName"]!);

        var user = (string)
            (
                await admin.CreateUserAsync(
                    TenantClient.NewUser("Hanna", "History", "hanna", password: "hanna-password-1")
                )
            )["id"]!;
        await admin.PutAsync($"users/{user}/roles/{roleId}", new { });
        await admin.PutAsync($"users/{user}/grants/manage-order-discounts", new { qualifier = 15 });
        await admin.PutAsync(
            $"users/{user}/grants/manage-order-discounts",
            new { qualifier = 20, validUntil = api.Clock.GetUtcNow().AddDays(2) }
        );
        var sp = await AssignmentTests.SalePointAsync(admin, "SP1");
        await admin.PostAsync($"users/{user}/sale-points", new { salePointId = sp, roleId });
        var wrong = new TenantClient(api.CreateClient(), admin.Tenant);
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (
                await wrong.Http.PostAsJsonAsync(
                    $"/api/tenants/{admin.Tenant}/auth/login",
                    new { loginCode = "hanna", password = "not-her-password" }
                )
            ).StatusCode
        );
        await admin.DeleteAsync($"users/{user}/roles/{roleId}");
        await admin.PostAsync($"users/{user}/deactivate", new { reason = "left the company" });

        var history = await admin.GetAsync($"users/{user}/history");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        var entries = (await history.ReadAsync())["items"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var sequences = entries.Select(e => (long)e["sequence"]!).ToList();
        Assert.Equal(sequences.Order(), sequences);
        string[] expected =
        [
            "User 'Hanna History' created (login code hanna).",
            "Role 'Sales team' given.",
            "Manage Order Discounts granted directly with qualifier 15.",
            "Direct grant of Manage Order Discounts: qualifier 15 → qualifier 20 until",
            "Added sale point SP1",
            "Login failed (web-office), 1 in a row.",
            "Role 'Sales team' taken away.",
            "Active → inactive (left the company).",
        ];
        var summaries = entries.Select(e => (string)e["summary"]!).ToList();
        var at = -1;
        foreach (var words in expected)
        {
            var next = summaries.FindIndex(at + 1, s => s.StartsWith(words, StringComparison.Ordinal));
            Assert.True(next > at, $"'{words}' not found in order in:\n{string.Join("\n", summaries)}");
            at = next;
        }
        Assert.All(entries.Where(e => (string?)e["actor"] == admin.UserId), e =>
            Assert.StartsWith(adminName, (string)e["actorName"]!)
        );

        // Nobody without the audit log or user management sees it.
        var plain = new TenantClient(api.CreateClient(), admin.Tenant);
        await admin.CreateUserAsync(TenantClient.NewUser("Pete", "Plain", "pete", password: "pete-password-1"));
        await plain.LogInAsync("pete", "pete-password-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync($"users/{user}/history")).StatusCode);
    }
}
