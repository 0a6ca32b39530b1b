using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class ListUsersTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Search_is_case_and_accent_insensitive_and_matches_inside_words_login_codes_and_emails()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser("Jürgen", "Müller", "jmueller", "juergen@firma.example"));
        await admin.CreateUserAsync(TenantClient.NewUser("Zoë", "Šimić", "zsimic"));
        await admin.CreateUserAsync(TenantClient.NewUser("Anna", "Egger", "aegger"));
        await admin.CreateUserAsync(TenantClient.NewUser("Jo", "Doe", "j_doe"));
        await admin.CreateUserAsync(TenantClient.NewUser("Jo", "Doe", "jxdoe"));

        async Task<string[]> Search(string term)
        {
            var page = await (await admin.GetAsync($"users?search={Uri.EscapeDataString(term)}")).ReadAsync();
            return page["items"]!.AsArray().Select(i => (string)i!["loginCode"]!).ToArray();
        }
        Assert.Equal(["jmueller"], await Search("MULLER"));
        Assert.Equal(["jmueller"], await Search("üll"));
        Assert.Equal(["zsimic"], await Search("simic"));
        Assert.Equal(["zsimic"], await Search("ZOE"));
        Assert.Equal(["jmueller"], await Search("firma.exa"));
        Assert.Equal(["aegger"], await Search("egg"));
        Assert.Empty(await Search("nobody"));
        Assert.Empty(await Search("%"));
        Assert.Equal(["j_doe"], await Search("j_d")); // LIKE wildcards are searched for literally
    }

    [Fact]
    public async Task The_list_filters_the_system_administrators()
    {
        var admin = await api.CreateTenantAsync();
        var second = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Sara", "Admin", "sadmin")))["id"]!;
        await admin.CreateUserAsync(TenantClient.NewUser("Otto", "Normal", "onormal"));
        var made = await admin.PutAsync($"users/{second}/system-administrator", new { value = true });
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);

        async Task<string[]> Logins(string query) =>
            (await (await admin.GetAsync($"users?{query}")).ReadAsync())["items"]!
                .AsArray()
                .Select(i => (string)i!["loginCode"]!)
                .Order()
                .ToArray();
        Assert.Equal(["admin", "sadmin"], await Logins("systemAdministrator=true"));
        Assert.Equal(["onormal"], await Logins("systemAdministrator=false"));
        Assert.Equal(["admin", "onormal", "sadmin"], await Logins(""));
    }

    [Fact]
    public async Task The_list_filters_by_status_and_type_sorts_and_pages_with_the_total()
    {
        var admin = await api.CreateTenantAsync();
        for (var i = 0; i < 5; i++)
            await admin.CreateUserAsync(TenantClient.NewUser("Bea", $"Zeller{(char)('a' + i)}", $"bz{i}"));
        var leaver = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Lea", "Ver", "lver")))["id"]!;
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PostAsync($"users/{leaver}/deactivate", new { reason = "left" })).StatusCode
        );

        var page2 = await (await admin.GetAsync("users?pageSize=2&page=2")).ReadAsync();
        Assert.Equal(6, (long)page2["total"]!); // the admin and five Zellers; the leaver is inactive
        Assert.Equal(["bz1", "bz2"], page2["items"]!.AsArray().Select(i => (string)i!["loginCode"]!));

        var inactive = await (await admin.GetAsync("users?status=inactive")).ReadAsync();
        Assert.Equal(["lver"], inactive["items"]!.AsArray().Select(i => (string)i!["loginCode"]!));
        Assert.Equal(7, (long)(await (await admin.GetAsync("users?status=ALL")).ReadAsync())["total"]!);

        var bgms = await (await admin.GetAsync("users?type=businessGroupManager")).ReadAsync();
        Assert.Equal(["admin"], bgms["items"]!.AsArray().Select(i => (string)i!["loginCode"]!));

        var desc = await (await admin.GetAsync("users?sort=loginCode&order=desc&pageSize=1")).ReadAsync();
        Assert.Equal("bz4", (string)desc["items"]![0]!["loginCode"]!);
    }
}
