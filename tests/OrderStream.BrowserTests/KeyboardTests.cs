using Microsoft.Playwright;
using OrderStream.Tests.TestKit;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace OrderStream.BrowserTests;

/// <summary>The console without a mouse: sign in, reach a user, change them and save, by keys alone.</summary>
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
    }
}
