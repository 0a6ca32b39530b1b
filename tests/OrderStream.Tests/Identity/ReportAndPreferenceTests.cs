using System.Net;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class ReportAndPreferenceTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Can_list_back_office_users_opens_the_report_on_its_own_and_nothing_else()
    {
        // Issue #23, item 3: the report's own feature gave nothing.
        var admin = await api.CreateTenantAsync();
        var clerk = (string)
            (
                await admin.CreateUserAsync(
                    TenantClient.NewUser("Rita", "Report", login: "rreport", password: "report-password-1")
                )
            )["id"]!;
        var asClerk = new TenantClient(api.CreateClient(), admin.Tenant);
        await asClerk.LogInAsync("rreport", "report-password-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await asClerk.GetAsync("reports/back-office-users")).StatusCode);

        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync($"users/{clerk}/grants/can-list-back-office-users", new { })).StatusCode
        );

        var report = await asClerk.GetAsync("reports/back-office-users?format=csv");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Contains("Report", await report.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await asClerk.GetAsync("users")).StatusCode);
    }

    [Fact]
    public async Task The_back_office_users_report_lists_every_user_with_status_as_csv_and_json()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(
            new
            {
                firstName = "Anna",
                lastName = "Zeller, Jr.",
                loginCode = "azeller",
                type = "BusinessGroupManager",
            }
        );
        var leaver = (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = "Lea",
                        lastName = "Ver",
                        loginCode = "lver",
                    }
                )
            )["id"]!;
        await admin.PostAsync($"users/{leaver}/deactivate", null);

        var csv = await admin.GetAsync("reports/back-office-users?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,firstName,lastName,loginCode,email,type,status,createdAt,lastStatusChangeAt", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.Contains(lines, l => l.Contains(",Lea,Ver,lver,,,inactive,"));
        Assert.Contains(lines, l => l.Contains(",Anna,\"Zeller, Jr.\",azeller,,BusinessGroupManager,active,"));

        var json = await admin.GetAsync("reports/back-office-users");
        Assert.Equal(3, System.Text.Json.Nodes.JsonNode.Parse(await json.Content.ReadAsStringAsync())!.AsArray().Count);
        Assert.Equal(
            ["format"],
            (await (await admin.GetAsync("reports/back-office-users?format=pdf")).ErrorsAsync()).Keys
        );

        // With the user list's filters (issue #21: the console downloads the list it shows).
        async Task<string[]> Logins(string filters) =>
            (
                await (
                    await admin.GetAsync($"reports/back-office-users?format=csv&{filters}")
                ).Content.ReadAsStringAsync()
            )
                .Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
                .Skip(1)
                .Select(l => new[] { "admin", "azeller", "lver" }.Single(code => l.Contains($",{code},")))
                .Order()
                .ToArray();
        Assert.Equal(["lver"], await Logins("status=inactive"));
        Assert.Equal(["azeller"], await Logins("status=active&search=zell"));
        Assert.Equal(["admin", "azeller"], await Logins("type=BusinessGroupManager"));
        Assert.Equal(
            ["status"],
            (await (await admin.GetAsync("reports/back-office-users?status=gone")).ErrorsAsync()).Keys
        );
    }

    [Fact]
    public async Task Each_admin_saves_their_own_user_list_layout()
    {
        var admin = await api.CreateTenantAsync();
        var defaults = await (await admin.GetAsync("me/preferences/user-list")).ReadAsync();
        Assert.Equal("lastName", (string)defaults["sortBy"]!);

        var saved = await admin.PutAsync(
            "me/preferences/user-list",
            new
            {
                columns = new[] { "loginCode", "lastName", "city" },
                sortBy = "createdAt",
                descending = true,
            }
        );
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var read = await (await admin.GetAsync("me/preferences/user-list")).ReadAsync();
        Assert.Equal(["loginCode", "lastName", "city"], read["columns"]!.AsArray().Select(c => (string)c!));
        Assert.True((bool)read["descending"]!);

        var bad = await admin.PutAsync("me/preferences/user-list", new { columns = new[] { "salary" } });
        Assert.Equal(["columns[0]"], (await bad.ErrorsAsync()).Keys);
        // A missing list is a 400 naming it, not a 500 (found by probing).
        Assert.Equal(
            ["columns"],
            (await (await admin.PutAsync("me/preferences/user-list", new { })).ErrorsAsync()).Keys
        );
    }
}
