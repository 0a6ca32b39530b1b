using System.Text.Json.Nodes;
using Microsoft.Playwright;
using OrderStream.Tests.TestKit;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace OrderStream.BrowserTests;

/// <summary>The user list (seed 002, items 1–6): search, filters, hover, layout; who sees it (issue #21).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class UserListTests(ConsoleHost host)
{
    [Fact]
    public async Task Search_as_you_type_filters_and_focusing_a_name_shows_its_sale_points_and_stores()
    {
        var admin = await host.Api.CreateTenantAsync();
        var role = await FirstRoleAsync(admin);
        var point = await CreateAsync(admin, "sale-points", "SP1", "Vienna Centre");
        var store = await CreateAsync(admin, "stores", "ST1", "Vienna Depot");
        var anna = await admin.CreateUserAsync(TenantClient.NewUser("Anna", "Lindqvist", login: "alind"));
        await admin.CreateUserAsync(TenantClient.NewUser("Zoe", "Xu", login: "zxu"));
        var id = (string)anna["id"]!;
        (
            await admin.PostAsync($"users/{id}/sale-points", new { salePointId = point, roleId = role })
        ).EnsureSuccessStatusCode();
        (await admin.PostAsync($"users/{id}/stores", new { storeId = store })).EnsureSuccessStatusCode();

        var page = await SignedInAsync(admin.Tenant, "admin", TenantClient.AdminPassword);
        var list = page.GetByTestId("user-list");
        await Expect(list.GetByText("Xu", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("user-total")).ToHaveTextAsync("Users found: 3");

        await page.GetByLabel("Search").PressSequentiallyAsync("lindq", new() { Delay = 40 });
        await Expect(list.GetByText("Xu", new() { Exact = true })).ToBeHiddenAsync();
        await Expect(page.GetByTestId("user-total")).ToHaveTextAsync("Users found: 1");

        await list.GetByText("Lindqvist", new() { Exact = true }).FocusAsync();
        var places = page.GetByTestId("user-places");
        await Expect(places).ToContainTextAsync("Vienna Centre");
        await Expect(places).ToContainTextAsync("Vienna Depot");
        await Screens.CheckAsync(page, "users-search-and-hover");

        // The report downloads the list on screen: the search applied.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync()
        );
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains(",Anna,Lindqvist,alind,", csv);
        Assert.DoesNotContain("zxu", csv);

        await page.GetByLabel("Search").FillAsync("");
        await page.GetByLabel("Sale point").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Vienna Centre" }).ClickAsync();
        await Expect(page.GetByTestId("user-total")).ToHaveTextAsync("Users found: 1");
        await Expect(list.GetByText("Lindqvist", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_chosen_columns_stay_for_that_administrator()
    {
        var admin = await host.Api.CreateTenantAsync();
        var page = await SignedInAsync(admin.Tenant, "admin", TenantClient.AdminPassword);
        var list = page.GetByTestId("user-list");
        await Expect(list.GetByRole(AriaRole.Columnheader, new() { Name = "E-mail" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Columns" }).ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "E-mail" }).UncheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "City" }).CheckAsync();
        await Screens.CheckAsync(page, "users-layout");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save layout" }).ClickAsync();
        await Expect(list.GetByRole(AriaRole.Columnheader, new() { Name = "City" })).ToBeVisibleAsync();

        await page.ReloadAsync();
        await Expect(list.GetByRole(AriaRole.Columnheader, new() { Name = "City" })).ToBeVisibleAsync();
        await Expect(list.GetByRole(AriaRole.Columnheader, new() { Name = "E-mail" })).ToBeHiddenAsync();
        var saved = await (await admin.GetAsync("me/preferences/user-list")).ReadAsync();
        Assert.Contains("city", saved["columns"]!.AsArray().Select(c => (string)c!));
    }

    [Fact]
    public async Task A_user_without_the_users_features_has_no_users_menu_reads_german_and_sets_a_pin()
    {
        var admin = await host.Api.CreateTenantAsync();
        var body = TenantClient.NewUser("Greta", "Huber", login: "ghuber", password: "greta-password-1");
        var user = await admin.CreateUserAsync(body);
        (
            await admin.PutAsync(
                $"users/{user["id"]}",
                new
                {
                    firstName = "Greta",
                    lastName = "Huber",
                    loginCode = "ghuber",
                    language = "de",
                }
            )
        ).EnsureSuccessStatusCode();

        var page = await SignedInAsync(admin.Tenant, "ghuber", "greta-password-1");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mein Konto" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Benutzer" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abmelden" })).ToBeVisibleAsync();
        await Screens.CheckAsync(page, "my-account-de");
        await page.Locator("#my-pin").FillAsync("4826");
        await page.GetByRole(AriaRole.Button, new() { Name = "PIN setzen" }).ClickAsync();
        await Expect(page.GetByText("Ihre PIN ist geändert.")).ToBeVisibleAsync();
        Assert.True((bool)(await (await admin.GetAsync($"users/{user["id"]}")).ReadAsync())["hasPin"]!);

        await page.GotoAsync($"/{admin.Tenant}/users");
        await Expect(page.GetByText("Sie dürfen die Benutzer dieser Firma nicht sehen.")).ToBeVisibleAsync();
        Assert.Equal(403, (int)(await page.APIRequest.GetAsync($"/api/tenants/{admin.Tenant}/users")).Status);
    }

    [Fact]
    public async Task Selected_users_are_deactivated_after_a_dry_run_shown_row_by_row()
    {
        var admin = await host.Api.CreateTenantAsync();
        var one = await admin.CreateUserAsync(TenantClient.NewUser("Paula", "Ast", login: "past"));
        var two = await admin.CreateUserAsync(TenantClient.NewUser("Quirin", "Bast", login: "qbast"));
        var page = await SignedInAsync(admin.Tenant, "admin", TenantClient.AdminPassword);
        var list = page.GetByTestId("user-list");
        await Expect(list.GetByText("Bast", new() { Exact = true })).ToBeVisibleAsync();

        foreach (var row in new[] { "Select row Paula Ast past", "Select row Quirin Bast qbast" })
            await list.GetByRole(AriaRole.Row, new() { Name = row }).GetByRole(AriaRole.Checkbox).CheckAsync();
        var bulk = page.GetByTestId("bulk-actions");
        await Expect(bulk).ToContainTextAsync("2 selected");
        await page.Locator("#bulk-reason").FillAsync("season over");
        await bulk.GetByRole(AriaRole.Button, new() { Name = "Preview (nothing is saved)" }).ClickAsync();
        await Expect(page.GetByTestId("bulk-result")).ToContainTextAsync("Would change");
        await Expect(bulk).ToContainTextAsync("Preview: 2 would change, 0 unchanged, 0 refused");
        await Screens.CheckAsync(page, "users-bulk-preview");
        Assert.True((bool)(await (await admin.GetAsync($"users/{one["id"]}")).ReadAsync())["isActive"]!);

        await bulk.GetByRole(AriaRole.Button, new() { Name = "Apply to 2 users" }).ClickAsync();
        await Expect(bulk).ToContainTextAsync("Done: 2 changed");
        foreach (var user in new[] { one, two })
            Assert.False((bool)(await (await admin.GetAsync($"users/{user["id"]}")).ReadAsync())["isActive"]!);
        await bulk.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(bulk).ToBeHiddenAsync();
        await Expect(list.GetByText("Bast", new() { Exact = true })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_user_list_works_at_768_pixels_wide()
    {
        var admin = await host.Api.CreateTenantAsync();
        var page = await host.NewPageAsync(768, 1024);
        await page.GotoAsync($"/{admin.Tenant}/sign-in");
        await SignInTests.SignInAsync(page, "admin", TenantClient.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("user-list").GetByText("admin", new() { Exact = true })).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 768"));
        await Screens.CheckAsync(page, "users-768");
    }

    private Task<IPage> SignedInAsync(string tenant, string login, string password) =>
        SignedInAsync(host, tenant, login, password);

    internal static async Task<IPage> SignedInAsync(ConsoleHost host, string tenant, string login, string password)
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/{tenant}/sign-in");
        await SignInTests.SignInAsync(page, login, password);
        await Expect(page.GetByRole(AriaRole.Navigation)).ToBeVisibleAsync();
        return page;
    }

    private static async Task<string> FirstRoleAsync(TenantClient admin) =>
        (string)(await (await admin.GetAsync("roles")).ReadAsync())["items"]![0]!["id"]!;

    private static async Task<string> CreateAsync(TenantClient admin, string what, string code, string name)
    {
        var response = await admin.PostAsync(what, new { code, name });
        response.EnsureSuccessStatusCode();
        return (string)(await response.ReadAsync())["id"]!;
    }
}
