using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrderStream.Tests.TestKit;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace OrderStream.BrowserTests;

/// <summary>The console without a mouse: every screen reached and its work done by keys alone.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class KeyboardTests(ConsoleHost host)
{
    [Fact]
    public async Task An_administrator_signs_in_opens_a_user_and_saves_a_change_with_the_keyboard_alone()
    {
        var admin = await host.Api.CreateTenantAsync();
        var user = await admin.CreateUserAsync(TenantClient.NewUser("Kai", "Tast", login: "ktast"));
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/{admin.Tenant}/sign-in");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Tab"); // company code, filled from the address
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Login code")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("admin");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(TenantClient.AdminPassword);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();

        // Tab until the user's name has the focus: its sale points and stores show, and Enter opens the form.
        var name = page.GetByTestId("user-list").GetByRole(AriaRole.Link, new() { Name = "Tast" });
        await Expect(name).ToBeVisibleAsync();
        for (var i = 0; i < 60 && !await name.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await Expect(name).ToBeFocusedAsync();
        await Expect(page.GetByTestId("user-places")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kai Tast" })).ToBeVisibleAsync();

        var first = page.Locator("#first-name");
        for (var i = 0; i < 20 && !await first.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await Expect(first).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Kay");
        await page.Keyboard.PressAsync("Enter"); // the form's submit: "Save changes"
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kay Tast" })).ToBeVisibleAsync();
        Assert.Equal("Kay", (string)(await (await admin.GetAsync($"users/{user["id"]}")).ReadAsync())["firstName"]!);

        // The form's tabs are one tab stop before the fields; the arrow keys, Home and End move between them.
        var general = page.GetByRole(AriaRole.Tab, new() { Name = "General" });
        await page.Locator("#first-name").FocusAsync();
        for (var i = 0; i < 10 && !await general.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(general).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        var salePoints = page.GetByRole(AriaRole.Tab, new() { Name = "Sale points" });
        await Expect(salePoints).ToBeFocusedAsync();
        await Expect(salePoints).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.GetByTestId("user-sale-points")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("End");
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Stores" })).ToBeFocusedAsync();
        await Expect(page.GetByTestId("user-stores")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Home");
        await Expect(general).ToBeFocusedAsync();
        await Expect(page.Locator("#first-name")).ToHaveValueAsync("Kay");
    }

    [Fact]
    public async Task Sale_points_and_online_stores_are_created_with_the_keyboard_alone()
    {
        var admin = await host.Api.CreateTenantAsync();
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        var menu = page.GetByRole(AriaRole.Navigation);

        await TabToAsync(page, menu.GetByRole(AriaRole.Link, new() { Name = "Sale points" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sale points" })).ToBeVisibleAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "New sale point" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.Locator("#location-code"));
        await page.Keyboard.TypeAsync("KB-1");
        await TabToAsync(page, page.Locator("#location-name"));
        await page.Keyboard.TypeAsync("Keyboard Corner");
        await page.Keyboard.PressAsync("Enter"); // the dialog's form submits: "Save changes"
        await Expect(page.GetByTestId("locations").GetByText("Keyboard Corner")).ToBeVisibleAsync();

        await TabToAsync(page, menu.GetByRole(AriaRole.Link, new() { Name = "Online stores" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "New online store" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.Locator("#store-code"));
        await page.Keyboard.TypeAsync("keys");
        await TabToAsync(page, page.Locator("#store-name"));
        await page.Keyboard.TypeAsync("Key Shop");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Key Shop")).ToBeVisibleAsync();

        var salePoints = await (await admin.GetAsync("sale-points")).ReadAsync();
        Assert.Equal("Keyboard Corner", (string)salePoints["items"]![0]!["name"]!);
        var stores = await (await admin.GetAsync("online-stores")).ReadAsync();
        Assert.Equal("Key Shop", (string)stores["items"]![0]!["name"]!);
    }

    [Fact]
    public async Task Stores_licenses_and_ones_own_pin_are_handled_with_the_keyboard_alone()
    {
        var admin = await host.Api.CreateTenantAsync();
        var olga = await admin.CreateUserAsync(TenantClient.NewUser("Olga", "Stein", login: "ostein"));
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        var menu = page.GetByRole(AriaRole.Navigation);

        await TabToAsync(page, menu.GetByRole(AriaRole.Link, new() { Name = "Stores", Exact = true }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "New store" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.Locator("#location-code"));
        await page.Keyboard.TypeAsync("ST-9");
        await TabToAsync(page, page.Locator("#location-name"));
        await page.Keyboard.TypeAsync("Keyboard Depot");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("locations").GetByText("Keyboard Depot")).ToBeVisibleAsync();

        await TabToAsync(page, menu.GetByRole(AriaRole.Link, new() { Name = "Licenses" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByLabel("Licenses to buy"));
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("2");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Buy" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("license-figure").First).ToHaveTextAsync("2");
        // The user list opens with Enter, moves with the arrows and takes the highlighted user with Enter.
        var user = page.GetByLabel("User", new() { Exact = true });
        await TabToAsync(page, user);
        await page.Keyboard.PressAsync("Enter");
        var olgaOption = page.GetByRole(AriaRole.Option, new() { Name = "Olga Stein (ostein)" });
        await Expect(olgaOption).ToBeVisibleAsync();
        for (var i = 0; i < 5 && await olgaOption.GetAttributeAsync("aria-selected") != "true"; i++)
            await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Expect(olgaOption).ToBeHiddenAsync();
        await TabToAsync(page, page.Locator("#license-email"));
        var address = $"olga.{Guid.NewGuid():N}@example.com";
        await page.Keyboard.TypeAsync(address);
        await page.Keyboard.PressAsync("Enter"); // the form's submit: "Link and send confirmation"
        await Expect(page.GetByTestId("license-mail")).ToContainTextAsync(address);

        await TabToAsync(page, menu.GetByRole(AriaRole.Link, new() { Name = "My account" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.Locator("#my-pin"));
        await page.Keyboard.TypeAsync("4711");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Your PIN is changed.")).ToBeVisibleAsync();

        var stores = await (await admin.GetAsync("stores")).ReadAsync();
        Assert.Equal("Keyboard Depot", (string)stores["items"]![0]!["name"]!);
        var licenses = await (await admin.GetAsync("licenses")).ReadAsync();
        Assert.Contains(licenses["licenses"]!.AsArray(), l => (string?)l!["userId"] == (string?)olga["id"]);
        Assert.True((bool)(await (await admin.GetAsync($"users/{admin.UserId}")).ReadAsync())["hasPin"]!);
    }

    [Fact]
    public async Task A_forgotten_password_is_set_by_the_mailed_link_and_changed_again_with_the_keyboard_alone()
    {
        var admin = await host.Api.CreateTenantAsync();
        var address = $"kim-{admin.Tenant}@example.com";
        await admin.CreateUserAsync(
            TenantClient.NewUser("Kim", "Keys", "kkeys", email: address, password: "lost-password-9")
        );
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/{admin.Tenant}/sign-in");
        await TabToAsync(page, page.GetByTestId("forgot-password"));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByLabel("Login code or e-mail address"));
        await page.Keyboard.TypeAsync("kkeys");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("link-on-its-way")).ToBeVisibleAsync();

        var text = (string)Assert.Single(await Mailbox.WaitForAsync(address))["text"]!;
        await page.GotoAsync(new Uri(Regex.Match(text, @"https?://\S+token=[A-Za-z0-9_-]+").Value).PathAndQuery);
        await TabToAsync(page, page.GetByLabel("New password", new() { Exact = true }));
        await page.Keyboard.TypeAsync("found-password-9");
        await TabToAsync(page, page.GetByLabel("Repeat the new password"));
        await page.Keyboard.TypeAsync("found-password-9");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("password-set")).ToBeVisibleAsync();

        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }));
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, page.GetByLabel("Login code"));
        await page.Keyboard.TypeAsync("kkeys");
        await TabToAsync(page, page.GetByLabel("Password"));
        await page.Keyboard.TypeAsync("found-password-9");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        await TabToAsync(page, page.GetByLabel("Current password"));
        await page.Keyboard.TypeAsync("found-password-9");
        await TabToAsync(page, page.GetByLabel("New password", new() { Exact = true }));
        await page.Keyboard.TypeAsync("kept-password-10");
        await TabToAsync(page, page.GetByLabel("Repeat the new password"));
        await page.Keyboard.TypeAsync("kept-password-10");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Password changed. Your other sessions have ended.")).ToBeVisibleAsync();
        // The new password is the one that logs in (a refusal throws).
        await new TenantClient(host.Api.CreateClient(), admin.Tenant).LogInAsync("kkeys", "kept-password-10");
    }

    // Tab, as a keyboard user does, until the element has the focus (at most 80 stops).
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        await Expect(target).ToBeVisibleAsync();
        for (var i = 0; i < 80 && !await target.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await Expect(target).ToBeFocusedAsync();
    }
}
