using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>
/// Issue #6's role change preview: who gains or loses what, tenant-wide and at sale points; nothing is saved.
/// </summary>
public sealed class RolePreviewTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_preview_names_each_holders_gains_losses_and_qualifier_changes_without_saving()
    {
        var admin = await api.CreateTenantAsync();
        var sales = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("Sales", ("manage-order-discounts", 5), ("can-move-stock", null))
                    )
                ).ReadAsync()
            )["id"]!;
        async Task<string> User(string first, string last) =>
            (string)(await admin.CreateUserAsync(TenantClient.NewUser(first, last)))["id"]!;
        var (xena, yann, zoe, walt) = (
            await User("Xena", "Alpha"),
            await User("Yann", "Beta"),
            await User("Zoe", "Gamma"),
            await User("Walt", "Delta")
        );
        await admin.PutAsync($"users/{xena}/roles/{sales}", new { });
        await admin.PutAsync($"users/{zoe}/roles/{sales}", new { });
        await admin.PutAsync($"users/{zoe}/grants/manage-order-discounts", new { qualifier = 10 });
        var sp1 = await AssignmentTests.SalePointAsync(admin, "SP1");
        await admin.PostAsync($"users/{yann}/sale-points", new { salePointId = sp1, roleId = sales });

        var response = await admin.PostAsync(
            $"roles/{sales}/preview",
            new
            {
                grants = new object[]
                {
                    new { featureCode = "manage-order-discounts", qualifier = 10 },
                    new { featureCode = "can-see-item-buy-price" },
                },
            }
        );
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await response.ReadAsync();
        Assert.Equal((3, 3), ((int)preview["holdings"]!, (int)preview["usersAffected"]!));
        static string Describe(JsonNode u) =>
            $"{u["name"]}@{u["salePointId"]}: +{string.Join(",", u["gains"]!.AsArray().Select(g => g!["feature"]))}"
            + $" -{string.Join(",", u["losses"]!.AsArray().Select(g => g!["feature"]))}"
            + $" ~{string.Join(",", u["changes"]!.AsArray().Select(c => $"{c!["feature"]} {c["from"]}->{c["to"]}"))}";
        Assert.Equal(
            [
                "Xena Alpha@: +can-see-item-buy-price -can-move-stock ~manage-order-discounts 5->10",
                $"Yann Beta@{sp1}: +can-see-item-buy-price -can-move-stock ~manage-order-discounts 5->10",
                // Zoe's direct grant gives 10 already: only the other two features change for her.
                "Zoe Gamma@: +can-see-item-buy-price -can-move-stock ~",
            ],
            preview["users"]!.AsArray().Select(u => Describe(u!))
        );
        Assert.DoesNotContain(preview["users"]!.AsArray(), u => (string)u!["userId"]! == walt);

        // Nothing was saved.
        var role = await (await admin.GetAsync($"roles/{sales}")).ReadAsync();
        Assert.Equal(
            ["manage-order-discounts", "can-move-stock"],
            role["grants"]!.AsArray().Select(g => (string)g!["featureCode"]!)
        );
        var decision = await (
            await admin.PostAsync("authorization/check", new { userId = xena, feature = "can-move-stock" })
        ).ReadAsync();
        Assert.True((bool)decision["allowed"]!);
    }

    [Fact]
    public async Task Bad_proposals_unknown_roles_and_callers_without_the_right_are_refused()
    {
        var admin = await api.CreateTenantAsync();
        var sales = (string)
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("Sales", ("can-move-stock", null)))
                ).ReadAsync()
            )["id"]!;
        Assert.Equal(["grants"], (await (await admin.PostAsync($"roles/{sales}/preview", new { })).ErrorsAsync()).Keys);
        Assert.Equal(
            ["grants[0].featureCode"],
            (
                await (
                    await admin.PostAsync(
                        $"roles/{sales}/preview",
                        new { grants = new[] { new { featureCode = "no-such-feature" } } }
                    )
                ).ErrorsAsync()
            ).Keys
        );
        Assert.Equal(
            ["grants[1].featureCode"],
            (
                await (
                    await admin.PostAsync(
                        $"roles/{sales}/preview",
                        new
                        {
                            grants = new[]
                            {
                                new { featureCode = "can-move-stock" },
                                new { featureCode = "can-move-stock" },
                            },
                        }
                    )
                ).ErrorsAsync()
            ).Keys
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (
                await admin.PostAsync($"roles/{Guid.NewGuid()}/preview", new { grants = Array.Empty<object>() })
            ).StatusCode
        );

        await admin.CreateUserAsync(TenantClient.NewUser("Pia", "Plain", "pia", password: "pia-password-12"));
        var plain = new TenantClient(api.CreateClient(), admin.Tenant);
        await plain.LogInAsync("pia", "pia-password-12");
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await plain.PostAsync($"roles/{sales}/preview", new { grants = Array.Empty<object>() })).StatusCode
        );
    }
}

/// <summary>Issue #6's comparison of two users: what one can do that the other cannot, and why.</summary>
public sealed class CompareUsersTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Comparing_two_users_lists_what_only_one_holds_and_different_levels_with_the_grants_behind_them()
    {
        var admin = await api.CreateTenantAsync();
        var sales = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("Sales", ("manage-order-discounts", 5), ("can-move-stock", null))
                    )
                ).ReadAsync()
            )["id"]!;
        var ann = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Ann", "A")))["id"]!;
        var ben = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Ben", "B")))["id"]!;
        await admin.PutAsync($"users/{ann}/roles/{sales}", new { });
        await admin.PutAsync($"users/{ben}/grants/manage-order-discounts", new { qualifier = 12 });
        await admin.PutAsync($"users/{ben}/grants/can-see-item-buy-price", new { });

        var compared = await (await admin.GetAsync($"users/{ann}/compare/{ben}")).ReadAsync();
        Assert.Equal(["can-move-stock"], compared["onlyA"]!.AsArray().Select(p => (string)p!["code"]!));
        Assert.Equal("Sales", (string)compared["onlyA"]![0]!["sources"]![0]!["roleName"]!);
        Assert.Equal(["can-see-item-buy-price"], compared["onlyB"]!.AsArray().Select(p => (string)p!["code"]!));
        var level = compared["differentLevels"]!.AsArray().Single()!;
        Assert.Equal(
            ("manage-order-discounts", 5, 12),
            ((string)level["code"]!, (int)level["qualifierA"]!, (int)level["qualifierB"]!)
        );
        Assert.Equal("direct", (string)level["sourcesB"]![0]!["kind"]!);

        // At a sale point: Ann works at SP1 with the Shop role there, which raises her discount and gives her buy
        // prices; tenant-wide nothing changes.
        var shop = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("Shop", ("manage-order-discounts", 20), ("can-see-item-buy-price", null))
                    )
                ).ReadAsync()
            )["id"]!;
        var sp = await AssignmentTests.SalePointAsync(admin, "SP1");
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PostAsync($"users/{ann}/sale-points", new { salePointId = sp, roleId = shop })).StatusCode
        );
        var atShop = await (await admin.GetAsync($"users/{ann}/compare/{ben}?salePointId={sp}")).ReadAsync();
        Assert.Empty(atShop["onlyB"]!.AsArray());
        var there = atShop["differentLevels"]!.AsArray().Single()!;
        Assert.Equal(
            ("manage-order-discounts", 20, 12),
            ((string)there["code"]!, (int)there["qualifierA"]!, (int)there["qualifierB"]!)
        );
        Assert.Contains(there["sourcesA"]!.AsArray(), source => (string)source!["roleName"]! == "Shop");
        var stillTenantWide = await (await admin.GetAsync($"users/{ann}/compare/{ben}")).ReadAsync();
        Assert.Equal(5, (int)stillTenantWide["differentLevels"]![0]!["qualifierA"]!);
        Assert.Equal(
            ["salePointId"],
            (await (await admin.GetAsync($"users/{ann}/compare/{ben}?salePointId={Guid.NewGuid()}")).ErrorsAsync()).Keys
        );

        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.GetAsync($"users/{ann}/compare/{Guid.NewGuid()}")).StatusCode
        );
        await admin.CreateUserAsync(TenantClient.NewUser("Cy", "C", "cy", password: "cy-password-123"));
        var plain = new TenantClient(api.CreateClient(), admin.Tenant);
        await plain.LogInAsync("cy", "cy-password-123");
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync($"users/{ann}/compare/{ben}")).StatusCode);
    }
}
