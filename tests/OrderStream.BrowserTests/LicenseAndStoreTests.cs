using Microsoft.Playwright;
using OrderStream.Tests.TestKit;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace OrderStream.BrowserTests;

/// <summary>Licenses (seed 002: buy, link with an e-mail, the confirmation mail) and online stores.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LicenseAndStoreTests(ConsoleHost host)
{
    [Fact]
    public async Task A_bought_license_is_linked_to_a_user_and_the_confirmation_mail_arrives()
    {
        var admin = await host.Api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser("Olga", "Stein", login: "ostein"));
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Licenses" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Licenses", Level = 1 })).ToBeVisibleAsync();

        await page.GetByLabel("Licenses to buy").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Buy" }).ClickAsync();
        await Expect(page.GetByTestId("license-figure").First).ToHaveTextAsync("2");

        var address = $"olga.{Guid.NewGuid():N}@example.com";
        await page.GetByLabel("User", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Olga Stein (ostein)" }).ClickAsync();
        await page.Locator("#license-email").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Link and send confirmation" }).ClickAsync();
        await Expect(page.GetByTestId("licenses")).ToContainTextAsync("Olga Stein");
        await Expect(page.GetByTestId("license-mail")).ToContainTextAsync(address);

        var mail = Assert.Single(await Mailbox.WaitForAsync(address));
        Assert.Contains("token=", (string)mail["html"]! + (string?)mail["text"]);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("license-mail")).ToContainTextAsync("Sent");
        await Screens.CheckAsync(page, "licenses");
    }

    [Fact]
    public async Task An_online_store_is_created_and_renamed()
    {
        var admin = await host.Api.CreateTenantAsync();
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Online stores" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "New online store" }).ClickAsync();
        await page.Locator("#store-code").FillAsync("shop-at");
        await page.Locator("#store-name").FillAsync("Shop Austria");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByTestId("online-stores")).ToContainTextAsync("Shop Austria");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit: Shop Austria" }).ClickAsync();
        await page.Locator("#store-name").FillAsync("Shop Österreich");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByTestId("online-stores")).ToContainTextAsync("Shop Österreich");
        await Screens.CheckAsync(page, "online-stores");
        var stores = await (await admin.GetAsync("online-stores")).ReadAsync();
        Assert.Equal("Shop Österreich", (string)stores["items"]![0]!["name"]!);
    }
}
