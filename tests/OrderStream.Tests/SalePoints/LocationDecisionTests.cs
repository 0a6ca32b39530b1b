using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.SalePoints;

/// <summary>
/// Decisions at a sale point or store (issues #3 and #4): the role at a sale point counts there only, and a feature of
/// a sale point or store needs the user to be assigned there ("not assigned", naming it) and the place to be active.
/// </summary>
public sealed class LocationDecisionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<JsonObject> CheckAsync(
        TenantClient admin,
        string user,
        string feature,
        string? salePointId = null,
        string? storeId = null
    )
    {
        var response = await admin.PostAsync(
            "authorization/check",
            new
            {
                userId = user,
                feature,
                salePointId,
                storeId,
            }
        );
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync();
    }

    private static string Reason(JsonObject decision) => $"{decision["allowed"]}:{decision["reasons"]![0]!["code"]}";

    [Fact]
    public async Task A_role_at_a_sale_point_counts_there_only_and_sale_point_features_need_the_assignment()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Sara", "Kassa")))["id"]!;
        var (sp1, sp2) = (
            await AssignmentTests.SalePointAsync(admin, "SP1"),
            await AssignmentTests.SalePointAsync(admin, "SP2")
        );
        await admin.PostAsync(
            $"users/{user}/sale-points",
            new { salePointId = sp1, roleId = await admin.RoleIdAsync("Store Manager") }
        );

        var atSp1 = await CheckAsync(admin, user, "see-sale-point-sales", sp1);
        Assert.Equal("true:granted-by-role", Reason(atSp1));
        Assert.Contains("role at this sale point", (string)atSp1["reasons"]![0]!["message"]!);
        // Not assigned at SP2: named. A tenant-wide feature of the same role does not count away from SP1 or without a
        // place.
        var atSp2 = await CheckAsync(admin, user, "see-sale-point-sales", sp2);
        Assert.Equal("false:not-assigned", Reason(atSp2));
        Assert.Contains("sale point SP2 (Shop SP2)", (string)atSp2["reasons"]![0]!["message"]!);
        Assert.Equal("true:granted-by-role", Reason(await CheckAsync(admin, user, "can-confirm-cash-count", sp1)));
        Assert.Equal("false:not-assigned", Reason(await CheckAsync(admin, user, "can-confirm-cash-count", sp2)));
        Assert.Equal("false:no-grant", Reason(await CheckAsync(admin, user, "can-confirm-cash-count")));

        // Effective permissions at SP1 list the role there; at SP2 the sale point's own features are not listed.
        var here = await (await admin.GetAsync($"users/{user}/effective-permissions?salePointId={sp1}")).ReadAsync();
        var sales = here["permissions"]!.AsArray().Single(p => (string)p!["code"]! == "see-sale-point-sales")!;
        Assert.Equal(sp1, (string)sales["sources"]![0]!["salePointId"]!);
        var away = await (await admin.GetAsync($"users/{user}/effective-permissions?salePointId={sp2}")).ReadAsync();
        Assert.Empty(away["permissions"]!.AsArray());

        // An inactive sale point keeps the assignment but its features do not apply there.
        await admin.PostAsync($"sale-points/{sp1}/deactivate", new { reason = "renovation" });
        Assert.Equal("false:location-inactive", Reason(await CheckAsync(admin, user, "see-sale-point-sales", sp1)));
        await admin.PostAsync($"sale-points/{sp1}/reactivate", null);
        Assert.Equal("true:granted-by-role", Reason(await CheckAsync(admin, user, "see-sale-point-sales", sp1)));

        // Moving the user to SP2 is reflected at once.
        await admin.DeleteAsync($"users/{user}/sale-points/{sp1}");
        await admin.PostAsync(
            $"users/{user}/sale-points",
            new { salePointId = sp2, roleId = await admin.RoleIdAsync("Store Manager") }
        );
        Assert.Equal("false:not-assigned", Reason(await CheckAsync(admin, user, "see-sale-point-sales", sp1)));
        Assert.Equal("true:granted-by-role", Reason(await CheckAsync(admin, user, "see-sale-point-sales", sp2)));
    }

    [Fact]
    public async Task Store_features_need_the_store_and_unknown_places_name_the_field()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Lukas", "Lager")))["id"]!;
        await admin.GiveRoleAsync(user, "Store Manager");
        var (st1, st2) = (
            await AssignmentTests.StoreAsync(admin, "ST1"),
            await AssignmentTests.StoreAsync(admin, "ST2")
        );
        var sp = await AssignmentTests.SalePointAsync(admin, "SP1");
        await admin.PostAsync($"users/{user}/stores", new { storeId = st1 });

        Assert.Equal("true:granted-by-role", Reason(await CheckAsync(admin, user, "count-inventory", storeId: st1)));
        var elsewhere = await CheckAsync(admin, user, "enter-purchase-invoices", storeId: st2);
        Assert.Equal("false:not-assigned", Reason(elsewhere));
        Assert.Contains("store ST2 (Store ST2)", (string)elsewhere["reasons"]![0]!["message"]!);
        // A store that is closed for now allows nothing there, and everything again once it reopens.
        await admin.PostAsync($"stores/{st1}/deactivate", new { reason = "stocktake" });
        Assert.Equal("false:location-inactive", Reason(await CheckAsync(admin, user, "count-inventory", storeId: st1)));
        await admin.PostAsync($"stores/{st1}/reactivate", null);
        Assert.Equal("true:granted-by-role", Reason(await CheckAsync(admin, user, "count-inventory", storeId: st1)));

        var unknown = await admin.PostAsync(
            "authorization/check",
            new
            {
                userId = user,
                feature = "count-inventory",
                storeId = Guid.NewGuid(),
            }
        );
        Assert.Equal(["storeId"], (await unknown.ErrorsAsync()).Keys);
        var wrongKind = await admin.PostAsync(
            "authorization/check",
            new
            {
                userId = user,
                feature = "count-inventory",
                storeId = sp,
            }
        );
        Assert.Equal(["storeId"], (await wrongKind.ErrorsAsync()).Keys);
        var many = await admin.PostAsync(
            "authorization/check-many",
            new
            {
                checks = new[]
                {
                    new
                    {
                        userId = user,
                        feature = "pos-login",
                        salePointId = st1,
                    },
                },
            }
        );
        Assert.Equal(["checks[0].salePointId"], (await many.ErrorsAsync()).Keys);
    }
}
