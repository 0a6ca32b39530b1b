using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

/// <summary>
/// Issue #6's permission matrix: users × features with the effective qualifier, as CSV and JSON, tenant-wide and at a
/// sale point.
/// </summary>
public sealed class PermissionMatrixTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_matrix_shows_each_user_s_effective_qualifier_per_feature_in_csv_and_json()
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
        var (anna, bert, cleo, dora) = (
            await User("Anna", "A"),
            await User("Bert", "B"),
            await User("Cleo", "C"),
            await User("Dora", "D")
        );
        await admin.PutAsync($"users/{anna}/roles/{sales}", new { });
        await admin.PutAsync($"users/{bert}/grants/manage-order-discounts", new { qualifier = 12 });
        await admin.PutAsync($"users/{cleo}/roles/{sales}", new { });
        await admin.PostAsync($"users/{cleo}/deactivate", null);
        var sp = await AssignmentTests.SalePointAsync(admin, "SP1");
        await admin.PostAsync($"users/{dora}/sale-points", new { salePointId = sp, roleId = sales });

        var csv = await admin.GetAsync("reports/permission-matrix?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal(["userId", "name", "active"], header[..3]);
        var (discounts, stock) = (
            Array.IndexOf(header, "manage-order-discounts"),
            Array.IndexOf(header, "can-move-stock")
        );
        Assert.True(discounts > 2 && stock > 2);
        string[] Row(string id) => lines.Single(l => l.StartsWith(id, StringComparison.Ordinal)).Split(',');
        Assert.Equal(("5", "yes"), (Row(anna)[discounts], Row(anna)[stock]));
        Assert.Equal(("Bert B", "12", ""), (Row(bert)[1], Row(bert)[discounts], Row(bert)[stock]));
        Assert.Equal(("no", ""), (Row(cleo)[2], string.Concat(Row(cleo)[3..])));
        Assert.Equal("", Row(dora)[discounts]);
        Assert.Equal(header.Length, Row(anna).Length);
        // Held without a limit, the cell says so (and not "yes", which is for features without a qualifier).
        await admin.PutAsync($"users/{bert}/grants/manage-order-discounts", new { });
        var unlimited = (
            await (await admin.GetAsync("reports/permission-matrix?format=csv")).Content.ReadAsStringAsync()
        )
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Single(l => l.StartsWith(bert, StringComparison.Ordinal))
            .Split(',');
        Assert.Equal("unlimited", unlimited[discounts]);

        var atSalePoint = (
            await (
                await admin.GetAsync($"reports/permission-matrix?format=csv&salePointId={sp}")
            ).Content.ReadAsStringAsync()
        ).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("5", atSalePoint.Single(l => l.StartsWith(dora, StringComparison.Ordinal)).Split(',')[discounts]);

        var json = await (await admin.GetAsync("reports/permission-matrix?format=json")).ReadAsync();
        Assert.Contains(json["features"]!.AsArray(), f => (string)f!["code"]! == "manage-order-discounts");
        JsonObject Of(string id) =>
            json["users"]!.AsArray().Single(u => (string)u!["userId"]! == id)!["permissions"]!.AsObject();
        Assert.Equal(("5", "yes"), ((string)Of(anna)["manage-order-discounts"]!, (string)Of(anna)["can-move-stock"]!));
        Assert.Equal("unlimited", (string)Of(bert)["manage-order-discounts"]!);
        Assert.Empty(Of(cleo));

        Assert.Equal(
            ["format"],
            (await (await admin.GetAsync("reports/permission-matrix?format=xml")).ErrorsAsync()).Keys
        );
        Assert.Equal(
            ["salePointId"],
            (await (await admin.GetAsync($"reports/permission-matrix?salePointId={Guid.NewGuid()}")).ErrorsAsync()).Keys
        );
    }
}
