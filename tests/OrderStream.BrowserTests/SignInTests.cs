using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OrderStream.Tests.TestKit;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace OrderStream.BrowserTests;

/// <summary>Signing in and out of the console, and what the session cookie is (issue #21, ADR 0027).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleHost host)
{
    [Fact]
    public async Task An_administrator_signs_in_sees_the_users_and_signs_out()
    {
        var admin = await host.Api.CreateTenantAsync();
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/{admin.Tenant}/sign-in");
        await Expect(page.GetByLabel("Company code")).ToHaveValueAsync(admin.Tenant);
        await Screens.CheckAsync(page, "sign-in");

        await SignInAsync(page, "admin", TenantClient.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("user-list").GetByText("admin", new() { Exact = true })).ToBeVisibleAsync();

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "orderstream-session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal(0, await page.EvaluateAsync<int>("document.cookie.length"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "orderstream-session");
        await page.GotoAsync($"/{admin.Tenant}/users");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_said_and_the_fifth_locks_the_login()
    {
        var admin = await host.Api.CreateTenantAsync();
        var user = await admin.CreateUserAsync(TenantClient.NewUser(password: "right-password-1"));
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/{admin.Tenant}/sign-in");
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await SignInAsync(page, (string)user["loginCode"]!, "wrong-password-" + attempt);
            await Expect(page.GetByTestId("sign-in-problem")).ToContainTextAsync("wrong");
        }
        await SignInAsync(page, (string)user["loginCode"]!, "wrong-password-5");
        await Expect(page.GetByTestId("sign-in-problem")).ToContainTextAsync("Too many failed logins");
        await SignInAsync(page, (string)user["loginCode"]!, "right-password-1");
        await Expect(page.GetByTestId("sign-in-problem")).ToContainTextAsync("Too many failed logins");
        Assert.EndsWith("/sign-in", page.Url);
        await Screens.CheckAsync(page, "sign-in-locked");
    }

    [Fact]
    public async Task An_expired_session_returns_to_sign_in_and_then_to_the_page()
    {
        var admin = await host.Api.CreateTenantAsync();
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/{admin.Tenant}/sign-in");
        await SignInAsync(page, "admin", TenantClient.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "My account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        await page.Context.ClearCookiesAsync();
        // A click in the page itself: the console answers it with a request that now meets a 401, and leaves the page
        // while Playwright would still be checking the link it clicked.
        await page.EvaluateAsync("() => document.querySelector('nav a[href$=\"/users\"]').click()");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Contains("returnUrl=%2F" + admin.Tenant + "%2Fusers", page.Url);
        await SignInAsync(page, "admin", TenantClient.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users" })).ToBeVisibleAsync();
        Assert.EndsWith($"/{admin.Tenant}/users", page.Url);
    }

    /// <summary>
    /// Issue #23, item 6 in the console: "Forgot your password?" on the sign-in page, the mailed link opening the page
    /// that sets a new one, and changing it again on one's own account with the session going on.
    /// </summary>
    [Fact]
    public async Task A_forgotten_password_is_set_by_the_mailed_link_and_changed_again_on_my_account()
    {
        var admin = await host.Api.CreateTenantAsync();
        var address = $"fiona-{admin.Tenant}@example.com";
        await admin.CreateUserAsync(
            TenantClient.NewUser("Fiona", "Forgot", "fforgot", email: address, password: "lost-password-9")
        );
        var page = await host.NewPageAsync();
        await page.GotoAsync($"/{admin.Tenant}/sign-in");
        await page.GetByTestId("forgot-password").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forgot your password?" })).ToBeVisibleAsync();
        await page.GetByLabel("Login code or e-mail address").FillAsync("fforgot");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
        await Expect(page.GetByTestId("link-on-its-way")).ToBeVisibleAsync();
        await Screens.CheckAsync(page, "forgot-password");

        var text = (string)Assert.Single(await Mailbox.WaitForAsync(address))["text"]!;
        var link = new Uri(Regex.Match(text, @"https?://\S+token=[A-Za-z0-9_-]+").Value);
        Assert.Equal("/reset-password", link.AbsolutePath);
        await page.GotoAsync(link.PathAndQuery);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set a new password" })).ToBeVisibleAsync();
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("fforgot-1");
        await page.GetByLabel("Repeat the new password").FillAsync("fforgot-2");
        await page.Keyboard.PressAsync("Tab"); // the field's words show once it is left
        await Expect(page.GetByText("The two passwords differ.")).ToBeVisibleAsync();
        await page.GetByLabel("Repeat the new password").FillAsync("fforgot-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set a new password" }).ClickAsync();
        await Expect(page.GetByText("Password must be 10 to 128 characters long.")).ToBeVisibleAsync();
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("found-password-9");
        await page.GetByLabel("Repeat the new password").FillAsync("found-password-9");
        await Screens.CheckAsync(page, "reset-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set a new password" }).ClickAsync();
        await Expect(page.GetByTestId("password-set")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await SignInAsync(page, "fforgot", "found-password-9");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        await page.GetByLabel("Current password").FillAsync("found-password-9");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("kept-password-10");
        await page.GetByLabel("Repeat the new password").FillAsync("kept-password-10");
        await Screens.CheckAsync(page, "my-account-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByText("Password changed. Your other sessions have ended.")).ToBeVisibleAsync();
        // This session goes on, writes included (its anti-forgery token follows the renewed cookie).
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        await page.GetByLabel("New POS PIN").FillAsync("4719");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set PIN" }).ClickAsync();
        await Expect(page.GetByText("Your PIN is changed.")).ToBeVisibleAsync();
    }

    internal static async Task SignInAsync(IPage page, string loginCode, string password)
    {
        await page.GetByLabel("Login code").FillAsync(loginCode);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
