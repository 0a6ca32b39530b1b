using System.Net;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using OrderStream.Tests.TestKit;
using Snapshooter;
using Snapshooter.Xunit;
using Xunit;

namespace OrderStream.Tests.Platform;

/// <summary>
/// The whole answer of the reports that front ends and accountants read, field by field (issue #19): the billing
/// statement, the permission matrix and the user list, in JSON and CSV. One small tenant on a fixed clock; ids, which
/// differ on every run, are numbered in the order they first appear.
/// </summary>
public sealed partial class AnswerSnapshotTests
{
    [Fact]
    public async Task The_billing_statement_answers_as_in_its_snapshot()
    {
        await using var api = new ApiFactory();
        var admin = await TenantAsync(api);
        Snapshot.Match(await JsonAsync(admin, "billing/statements/2027-03"), new SnapshotNameExtension("json"));
        Snapshot.Match(
            await CsvAsync(admin, "billing/statements/2027-03?format=csv"),
            new SnapshotNameExtension("csv")
        );
    }

    [Fact]
    public async Task The_permission_matrix_answers_as_in_its_snapshot()
    {
        await using var api = new ApiFactory();
        var admin = await TenantAsync(api);
        var json = await JsonAsync(admin, "reports/permission-matrix?format=json");
        // The catalogue's 172 features are the catalogue's own test; here the matrix's shape and its cells.
        static bool Kept(string code) => code is "manage-order-discounts" or "can-move-stock";
        json["features"] = new JArray(json["features"]!.Where(f => Kept((string)f["code"]!)));
        foreach (var user in json["users"]!)
            user["permissions"] = new JObject(((JObject)user["permissions"]!).Properties().Where(p => Kept(p.Name)));
        Snapshot.Match(json, new SnapshotNameExtension("json"));
        var csv = await CsvAsync(admin, "reports/permission-matrix?format=csv");
        var header = csv[0].Split(',');
        int[] kept =
        [
            0,
            1,
            2,
            Array.IndexOf(header, "manage-order-discounts"),
            Array.IndexOf(header, "can-move-stock"),
        ];
        Snapshot.Match(
            csv.Select(line => string.Join(',', kept.Select(i => line.Split(',')[i]))).ToArray(),
            new SnapshotNameExtension("csv")
        );
    }

    [Fact]
    public async Task The_user_list_answers_as_in_its_snapshot()
    {
        await using var api = new ApiFactory();
        var admin = await TenantAsync(api);
        Snapshot.Match(await JsonAsync(admin, "users?status=all"));
    }

    /// <summary>
    /// March 2027: Anna with a role (a discount up to 5, moving stock), a sale point and a store, Bernd with discounts
    /// up to 12 who leaves on the 20th, Clara with discounts without a limit, and the administrator; 25.50 EUR a user.
    /// Read on 2 April, when March is no longer provisional.
    /// </summary>
    private static async Task<TenantClient> TenantAsync(ApiFactory api)
    {
        api.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var admin = await api.CreateTenantAsync("snap");
        await Ok(admin.PutAsync("billing/settings", new { pricePerUser = 25.50m }));
        var anna = await admin.CreateUserAsync(
            TenantClient.NewUser("Anna", "Huber", "anna.huber", "anna@example.com", type: "BusinessGroupManager")
        );
        var bernd = await admin.CreateUserAsync(TenantClient.NewUser("Bernd", "Moser", "bernd.moser"));
        var clara = await admin.CreateUserAsync(TenantClient.NewUser("Clara", "Wolf", "clara.wolf"));
        var cashier = await admin.PostAsync(
            "roles",
            TenantClient.RoleBody("Cashier", ("manage-order-discounts", 5), ("can-move-stock", null))
        );
        Assert.Equal(HttpStatusCode.Created, cashier.StatusCode);
        await Ok(admin.PutAsync($"users/{anna["id"]}/roles/{(await cashier.ReadAsync())["id"]}", new { }));
        await Ok(admin.PutAsync($"users/{bernd["id"]}/grants/manage-order-discounts", new { qualifier = 12 }));
        await Ok(admin.PutAsync($"users/{clara["id"]}/grants/manage-order-discounts", new { }));
        var sp = await SalePoints.AssignmentTests.SalePointAsync(admin, "SP1");
        var store = await SalePoints.AssignmentTests.StoreAsync(admin, "ST1");
        await Ok(
            admin.PostAsync(
                $"users/{anna["id"]}/sale-points",
                new { salePointId = sp, roleId = await admin.RoleIdAsync("POS Cashier") }
            )
        );
        await Ok(admin.PostAsync($"users/{anna["id"]}/stores", new { storeId = store }));
        api.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 20, 9, 0, 0, TimeSpan.Zero));
        await admin.LogInAsync("admin", TenantClient.AdminPassword);
        await Ok(admin.PostAsync($"users/{bernd["id"]}/deactivate", new { reason = "left" }));
        api.Clock.SetUtcNow(new DateTimeOffset(2027, 4, 2, 9, 0, 0, TimeSpan.Zero));
        await admin.LogInAsync("admin", TenantClient.AdminPassword);
        await api.WaitForDeliveryAsync();
        return admin;
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JToken> JsonAsync(TenantClient admin, string path)
    {
        var response = await admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JToken.Parse(Numbered(await response.Content.ReadAsStringAsync()));
    }

    private static async Task<string[]> CsvAsync(TenantClient admin, string path)
    {
        var response = await admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        return Numbered(await response.Content.ReadAsStringAsync())
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Each distinct id becomes "id-1", "id-2", … in the order of its first appearance.</summary>
    private static string Numbered(string text)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        return Ids()
            .Replace(text, m => seen.TryGetValue(m.Value, out var n) ? n : seen[m.Value] = $"id-{seen.Count + 1}");
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex Ids();
}
