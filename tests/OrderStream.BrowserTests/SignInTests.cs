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

    internal static async Task SignInAsync(IPage page, string loginCode, string password)
    {
        await page.GetByLabel("Login code").FillAsync(loginCode);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
