using System.Net;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>
/// Issue #23, item 2 (seed 001): only System Administrators may be given a role with features limited to them, and
/// only System Managers one with features limited to System Managers. Given to anyone else, the feature silently did
/// nothing; now the assignment, and a role edit that would add such a feature to such a holder, are refused.
/// </summary>
public sealed class TierLimitedRoleTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_administrators_feature_in_a_role_is_refused_to_others_tenant_wide_at_a_sale_point_in_bulk()
    {
        var admin = await api.CreateTenantAsync();
        var pia = await PlainUserAsync(admin, "ppia");
        var role = await RoleAsync(admin, "Ops", ("can-move-stock", null), ("randomise-all-names", null));
        var salePoint = await AssignmentTests.SalePointAsync(admin, "SP1");

        var tenantWide = await admin.PutAsync($"users/{pia}/roles/{role}", new { });
        var atSalePoint = await admin.PostAsync(
            $"users/{pia}/sale-points",
            new { salePointId = salePoint, roleId = role }
        );
        var bulk = await admin.PostAsync(
            "users/bulk",
            new
            {
                userIds = new[] { pia },
                assignRoles = new[] { new { roleId = role } },
                dryRun = false,
            }
        );

        foreach (var refused in new[] { tenantWide, atSalePoint })
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var detail = (string)(await refused.ReadAsync())["detail"]!;
            Assert.Contains("'Randomise All Names' is limited to System Administrators", detail);
            Assert.Contains("Pia Plain", detail);
        }
        // The bulk row is refused with the same words; the others of a bulk change would still commit.
        Assert.Contains("limited to System Administrators", await bulk.Content.ReadAsStringAsync());
        var access = await (await admin.GetAsync($"users/{pia}/access")).ReadAsync();
        Assert.Empty(access["roles"]!.AsArray());
        Assert.Empty((await (await admin.GetAsync($"users/{pia}/sale-points")).ReadAsync())["salePoints"]!.AsArray());
        // A System Administrator may hold it.
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync($"users/{admin.UserId}/roles/{role}", new { })).StatusCode
        );
    }

    [Fact]
    public async Task A_new_sale_point_given_with_such_a_role_to_everyone_who_had_all_the_others_is_refused()
    {
        var admin = await api.CreateTenantAsync();
        var pia = await PlainUserAsync(admin, "ppia");
        var cashier = await admin.RoleIdAsync("POS Cashier");
        var ops = await RoleAsync(admin, "Ops", ("randomise-all-names", null));
        var first = await AssignmentTests.SalePointAsync(admin, "SP1");
        await admin.PostAsync($"users/{pia}/sale-points", new { salePointId = first, roleId = cashier });

        var created = await admin.PostAsync(
            "sale-points",
            new
            {
                code = "SP2",
                name = "Shop SP2",
                assign = new { usersWithAllOthers = true, roleId = ops },
            }
        );

        Assert.Equal(HttpStatusCode.Conflict, created.StatusCode);
        Assert.Contains("Pia Plain", (string)(await created.ReadAsync())["detail"]!);
        var codes = (await (await admin.GetAsync("sale-points")).ReadAsync())["items"]!
            .AsArray()
            .Select(s => (string)s!["code"]!);
        Assert.DoesNotContain("SP2", codes);
    }

    [Fact]
    public async Task A_role_that_makes_its_holder_a_System_Manager_may_carry_System_Manager_features()
    {
        var admin = await api.CreateTenantAsync();
        var pia = await PlainUserAsync(admin, "ppia");
        var support = await RoleAsync(
            admin,
            "Support",
            ("is-system-manager", null),
            ("can-make-global-entities", null)
        );
        var globals = await RoleAsync(admin, "Globals", ("can-make-global-entities", null));

        var refused = await admin.PutAsync($"users/{pia}/roles/{globals}", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("limited to System Managers", (string)(await refused.ReadAsync())["detail"]!);

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"users/{pia}/roles/{support}", new { })).StatusCode);
        // Now a System Manager, Pia may be given the other one too.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"users/{pia}/roles/{globals}", new { })).StatusCode);
    }

    [Fact]
    public async Task Adding_an_administrators_feature_to_a_role_held_by_others_is_refused_naming_them()
    {
        var admin = await api.CreateTenantAsync();
        var pia = await PlainUserAsync(admin, "ppia");
        var role = await RoleAsync(admin, "Clerk", ("can-move-stock", null));
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"users/{pia}/roles/{role}", new { })).StatusCode);
        var read = await admin.GetAsync($"roles/{role}");
        var preview = await (
            await admin.PostAsync(
                $"roles/{role}/preview",
                new
                {
                    grants = new[]
                    {
                        new { featureCode = "can-move-stock" },
                        new { featureCode = "randomise-all-names" },
                    },
                }
            )
        ).ReadAsync();
        var refusal = Assert.Single(preview["refused"]!.AsArray())!;
        Assert.Equal(pia, (string)refusal["userId"]!);
        Assert.Contains("limited to System Administrators", (string)refusal["why"]!);

        var edited = await admin.PutAsync(
            $"roles/{role}",
            TenantClient.RoleBody("Clerk", ("can-move-stock", null), ("randomise-all-names", null)),
            read.Headers.ETag!.Tag
        );

        Assert.Equal(HttpStatusCode.Conflict, edited.StatusCode);
        var detail = (string)(await edited.ReadAsync())["detail"]!;
        Assert.Contains("Pia Plain", detail);
        Assert.Contains("Randomise All Names", detail);
        var role2 = await (await admin.GetAsync($"roles/{role}")).ReadAsync();
        Assert.Single(role2["grants"]!.AsArray());
    }

    private static async Task<string> PlainUserAsync(TenantClient admin, string login) =>
        (string)(await admin.CreateUserAsync(TenantClient.NewUser("Pia", "Plain", login: login)))["id"]!;

    private static async Task<string> RoleAsync(
        TenantClient admin,
        string name,
        params (string Code, int? Qualifier)[] grants
    )
    {
        var created = await admin.PostAsync("roles", TenantClient.RoleBody(name, grants));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (string)(await created.ReadAsync())["id"]!;
    }
}
