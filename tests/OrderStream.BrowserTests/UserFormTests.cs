using Microsoft.Playwright;
using OrderStream.Tests.TestKit;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace OrderStream.BrowserTests;

/// <summary>The user form (seed 002, items 1–12): one save, refusals by field, stale saves, leaving.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class UserFormTests(ConsoleHost host)
{
    [Fact]
    public async Task A_new_user_gets_a_name_a_sale_point_with_a_role_and_a_default_store_in_one_save()
    {
        var admin = await host.Api.CreateTenantAsync();
        await admin.PostAsync("sale-points", new { code = "SP1", name = "Vienna Centre" });
        await admin.PostAsync("stores", new { code = "ST1", name = "Vienna Depot" });
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "New user" }).ClickAsync();
        await page.Locator("#first-name").FillAsync("Nora");
        await page.Locator("#last-name").FillAsync("Wolf");
        await page.Locator("#login").FillAsync("nwolf");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nora Wolf" })).ToBeVisibleAsync();
        await Screens.CheckAsync(page, "user-form");

        await page.Locator("#first-name").FillAsync("Norah");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sale points" }).ClickAsync();
        await page.GetByLabel("Sale point", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Vienna Centre (SP1)" }).ClickAsync();
        await page.GetByLabel("Role there", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "POS Cashier" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("user-sale-points")).ToContainTextAsync("Vienna Centre");
        await Screens.CheckAsync(page, "user-form-sale-points");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Stores" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add all", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("user-stores")).ToContainTextAsync("Vienna Depot (default)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Norah Wolf" })).ToBeVisibleAsync();

        var id = page.Url.Split('/')[^1];
        Assert.Equal("Norah", (string)(await (await admin.GetAsync($"users/{id}")).ReadAsync())["firstName"]!);
        var salePoints = await (await admin.GetAsync($"users/{id}/sale-points")).ReadAsync();
        Assert.Equal("Vienna Centre", (string)salePoints["salePoints"]![0]!["name"]!);
        Assert.Equal("POS Cashier", (string)salePoints["salePoints"]![0]!["roleName"]!);
        var stores = await (await admin.GetAsync($"users/{id}/stores")).ReadAsync();
        Assert.Equal("Vienna Depot", (string)stores["stores"]![0]!["name"]!);
        Assert.True((bool)stores["stores"]![0]!["isDefault"]!);
    }

    [Fact]
    public async Task A_refusal_shows_beside_its_field_and_a_stale_save_says_who_changed_the_user()
    {
        var admin = await host.Api.CreateTenantAsync();
        var created = await admin.CreateUserAsync(TenantClient.NewUser("Ida", "Roth", login: "iroth"));
        var id = (string)created["id"]!;
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        await page.GetByTestId("user-list").GetByRole(AriaRole.Link, new() { Name = "Roth" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ida Roth" })).ToBeVisibleAsync();

        await page.Locator("#email").FillAsync("not-an-address");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByTestId("form-problem")).ToContainTextAsync("Please correct the fields marked.");
        await Expect(page.Locator("#email")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#first-name")).ToHaveAttributeAsync("aria-invalid", "false");
        await Screens.CheckAsync(page, "user-form-refused");

        var etag = (await admin.GetAsync($"users/{id}")).Headers.ETag!.Tag;
        (
            await admin.PutAsync(
                $"users/{id}",
                new
                {
                    firstName = "Ida",
                    lastName = "Roth-Lang",
                    loginCode = "iroth",
                },
                etag
            )
        ).EnsureSuccessStatusCode();
        await page.Locator("#email").FillAsync("ida@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByTestId("form-problem")).ToContainTextAsync("System Administrator changed this user");
        Assert.Null((await (await admin.GetAsync($"users/{id}")).ReadAsync())["email"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
        await Expect(page.Locator("#last-name")).ToHaveValueAsync("Roth-Lang");
    }

    [Fact]
    public async Task Taking_away_the_last_active_system_administrator_is_warned_of_before_saving()
    {
        var admin = await host.Api.CreateTenantAsync();
        var other = await admin.CreateUserAsync(TenantClient.NewUser("Sara", "Vogt", login: "svogt"));
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        await page.GotoAsync($"/{admin.Tenant}/users/{admin.UserId}");
        var administrator = page.GetByLabel("System Administrator");
        var warning = page.GetByTestId("last-administrator");
        await Expect(administrator).ToBeCheckedAsync();

        await administrator.UncheckAsync();
        await Expect(warning).ToContainTextAsync("no other active System Administrator");
        await Screens.CheckAsync(page, "user-form-last-administrator");
        await administrator.CheckAsync();
        await Expect(warning).ToBeHiddenAsync();

        // With a second active System Administrator, nobody is the last one.
        (
            await admin.PutAsync($"users/{other["id"]}/system-administrator", new { value = true })
        ).EnsureSuccessStatusCode();
        await page.ReloadAsync();
        await Expect(administrator).ToBeCheckedAsync();
        await administrator.UncheckAsync();
        await Expect(administrator).Not.ToBeCheckedAsync();
        await Expect(warning).ToBeHiddenAsync();
    }

    /// <summary>Seed 001's "resend password" (issue #23, item 6): a link to the user's own address.</summary>
    [Fact]
    public async Task An_administrator_sends_a_user_a_link_to_set_their_password()
    {
        var admin = await host.Api.CreateTenantAsync();
        var address = $"lena-{admin.Tenant}@example.com";
        var created = await admin.CreateUserAsync(TenantClient.NewUser("Lena", "Link", "llink", email: address));
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        await page.GotoAsync($"/{admin.Tenant}/users/{created["id"]}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send a link to set the password" }).ClickAsync();

        await Expect(page.GetByText($"A link to set the password went to {address}.")).ToBeVisibleAsync();
        Assert.Contains("/reset-password?", (string)Assert.Single(await Mailbox.WaitForAsync(address))["text"]!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a link to set the password" }).ClickAsync();
        await Expect(page.GetByText("less than a minute ago")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Leaving_with_unsaved_changes_asks_first()
    {
        var admin = await host.Api.CreateTenantAsync();
        var created = await admin.CreateUserAsync(TenantClient.NewUser("Jan", "Kurz", login: "jkurz"));
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        await page.GotoAsync($"/{admin.Tenant}/users/{created["id"]}");
        await page.Locator("#last-name").FillAsync("Lang");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("without saving");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Stay" }).ClickAsync();
        await Expect(page.Locator("#last-name")).ToHaveValueAsync("Lang");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        Assert.Equal("Kurz", (string)(await (await admin.GetAsync($"users/{created["id"]}")).ReadAsync())["lastName"]!);
    }

    [Fact]
    public async Task A_coordinator_gets_an_account_executive_rights_and_future_sale_points_in_one_save()
    {
        var admin = await host.Api.CreateTenantAsync();
        var executive = await admin.CreateUserAsync(
            TenantClient.NewUser("Anna", "Seller", login: "aseller", type: "AccountExecutive")
        );
        var created = await admin.CreateUserAsync(TenantClient.NewUser("Paul", "Maker", login: "pmaker"));
        var id = (string)created["id"]!;
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        await page.GotoAsync($"/{admin.Tenant}/users/{id}");

        await page.GetByLabel("Back-office type").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Production Coordinator" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Profile and rights" }).ClickAsync();
        await page.GetByLabel("Account executives").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Anna Seller" }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        var rights = page.GetByTestId("type-rights");
        await rights.GetByLabel("May add and edit suppliers").CheckAsync();
        await rights.GetByLabel("May save orders as invoiced").CheckAsync();
        await Screens.CheckAsync(page, "user-form-profile");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Sale points" }).ClickAsync();
        await page.GetByLabel("Role there", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "POS Cashier" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add all, future ones too" }).ClickAsync();
        await Expect(page.GetByTestId("future-sale-points")).ToContainTextAsync("POS Cashier");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByText("Saved.")).ToBeVisibleAsync();

        var user = await (await admin.GetAsync($"users/{id}")).ReadAsync();
        Assert.Equal("ProductionCoordinator", (string)user["type"]!);
        Assert.Equal([(string)executive["id"]!], user["accountExecutiveIds"]!.AsArray().Select(a => (string)a!));
        var grants = (await (await admin.GetAsync($"users/{id}/access")).ReadAsync())["grants"]!.AsArray();
        Assert.Equal(
            ["may-add-edit-suppliers", "may-save-orders-invoiced"],
            grants.Select(g => (string)g!["featureCode"]!).Order(StringComparer.Ordinal)
        );
        var newSalePoint = await (
            await admin.PostAsync("sale-points", new { code = "SP9", name = "Linz" })
        ).ReadAsync();
        var salePoints = await (await admin.GetAsync($"users/{id}/sale-points")).ReadAsync();
        Assert.Contains(
            (string)newSalePoint["id"]!,
            salePoints["salePoints"]!.AsArray().Select(s => (string)s!["salePointId"]!)
        );
    }

    [Fact]
    public async Task Without_employee_data_the_login_code_and_allow_login_are_disabled_and_the_rest_saves()
    {
        var admin = await host.Api.CreateTenantAsync();
        var manager = await admin.CreateUserAsync(
            TenantClient.NewUser(
                "Bea",
                "Boss",
                login: "bboss",
                password: "boss-password-1",
                type: "BusinessGroupManager"
            )
        );
        await admin.GiveRoleAsync((string)manager["id"]!, "Business Group Manager");
        var created = await admin.CreateUserAsync(TenantClient.NewUser("Tom", "Till", login: "ttill"));
        var id = (string)created["id"]!;
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "bboss", "boss-password-1");
        await page.GotoAsync($"/{admin.Tenant}/users/{id}");

        await Expect(page.Locator("#login")).ToBeDisabledAsync();
        await Expect(page.GetByText("Changing this needs “Can Maintain Employee Data”.").First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "May log in to the web office" }))
            .ToBeDisabledAsync();
        await Screens.CheckAsync(page, "user-form-without-employee-data");
        await page.Locator("#first-name").FillAsync("Thomas");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByText("Saved.")).ToBeVisibleAsync();

        Assert.Equal("Thomas", (string)(await (await admin.GetAsync($"users/{id}")).ReadAsync())["firstName"]!);
    }

    [Fact]
    public async Task An_administrator_of_employee_data_alone_opens_a_form_and_is_offered_no_change_of_roles()
    {
        var admin = await host.Api.CreateTenantAsync();
        var clerks = await (
            await admin.PostAsync("roles", TenantClient.RoleBody("Clerks", ("can-maintain-employee-data", null)))
        ).ReadAsync();
        var clerk = await admin.CreateUserAsync(
            TenantClient.NewUser("Carl", "Clerk", login: "carl", password: "carl-password-1")
        );
        await admin.PutAsync($"users/{clerk["id"]}/roles/{clerks["id"]}", new { });
        var tom = await admin.CreateUserAsync(TenantClient.NewUser("Tom", "Till", login: "ttill"));
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "carl", "carl-password-1");

        // Selected users: deactivating is theirs to do, giving roles is not (GET /roles refuses them too).
        var list = page.GetByTestId("user-list");
        await list.GetByRole(AriaRole.Row, new() { Name = "Select row Tom Till ttill" })
            .GetByRole(AriaRole.Checkbox)
            .CheckAsync();
        await page.GetByLabel("Change for all selected", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Option, new() { Name = "Deactivate" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Option, new() { Name = "Assign a role" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Option, new() { Name = "Add a sale point" })).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Escape");

        await page.GotoAsync($"/{admin.Tenant}/users/{tom["id"]}");
        await Expect(page.Locator("#first-name")).ToHaveValueAsync("Tom");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Roles" }).ClickAsync();
        await Expect(page.GetByText("Giving and taking roles and rights needs “Can Maintain User Roles”."))
            .ToBeVisibleAsync();
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await Screens.CheckAsync(page, "user-form-employee-data-only");
        await page.GetByRole(AriaRole.Tab, new() { Name = "General" }).ClickAsync();
        await page.Locator("#first-name").FillAsync("Thomas");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByText("Saved.")).ToBeVisibleAsync();
        Assert.Equal("Thomas", (string)(await (await admin.GetAsync($"users/{tom["id"]}")).ReadAsync())["firstName"]!);
    }

    [Fact]
    public async Task The_user_form_works_at_768_pixels_wide()
    {
        var admin = await host.Api.CreateTenantAsync();
        var page = await host.NewPageAsync(768, 1024);
        await page.GotoAsync($"/{admin.Tenant}/users/{admin.UserId}");
        await SignInTests.SignInAsync(page, "admin", TenantClient.AdminPassword);
        await Expect(page.Locator("#first-name")).ToHaveValueAsync("System");
        // The five tabs wrap rather than scroll: every one is on screen, and the page is no wider than the window.
        foreach (var tab in await page.GetByRole(AriaRole.Tab).AllAsync())
            await Expect(tab).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 768"));
        await Screens.CheckAsync(page, "user-form-768");
    }
}
