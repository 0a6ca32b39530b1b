using Microsoft.Playwright;
using OrderStream.Tests.TestKit;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace OrderStream.BrowserTests;

/// <summary>Sale points and stores: create, a refusal on its field, edit, a stale save, deactivate.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LocationTests(ConsoleHost host)
{
    [Fact]
    public async Task A_sale_point_is_created_edited_kept_from_a_stale_save_and_deactivated()
    {
        var admin = await host.Api.CreateTenantAsync();
        var page = await UserListTests.SignedInAsync(host, admin.Tenant, "admin", TenantClient.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Sale points" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sale points" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "New sale point" }).ClickAsync();
        await page.Locator("#location-name").FillAsync("Salzburg Airport");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        // The API's problem names the field; the console shows it beside that field.
        var code = page.Locator(".mud-input-control").Filter(new() { Has = page.Locator("#location-code") });
        await Expect(code.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("Code");
        await Expect(page.Locator("#location-name")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Screens.CheckAsync(page, "sale-point-refused");

        await page.Locator("#location-code").FillAsync("SZG-01");
        await page.Locator("#location-city").FillAsync("Salzburg");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        var list = page.GetByTestId("locations");
        await Expect(list.GetByText("Salzburg Airport")).ToBeVisibleAsync();
        await Screens.CheckAsync(page, "sale-points");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit: Salzburg Airport" }).ClickAsync();
        var id = (string)(await (await admin.GetAsync("sale-points")).ReadAsync())["items"]![0]!["id"]!;
        var other = await admin.PutAsync($"sale-points/{id}", new { code = "SZG-01", name = "Salzburg Airport West" });
        other.EnsureSuccessStatusCode();
        await page.Locator("#location-name").FillAsync("Salzburg Airport East");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByTestId("location-problem")).ToContainTextAsync("Someone else changed it");
        Assert.Equal(
            "Salzburg Airport West",
            (string)(await (await admin.GetAsync($"sale-points/{id}")).ReadAsync())["name"]!
        );
        await page.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
        await Expect(page.Locator("#location-name")).ToHaveValueAsync("Salzburg Airport West");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Deactivate: Salzburg Airport West" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(list.GetByText("Salzburg Airport West")).ToBeHiddenAsync();
        Assert.False((bool)(await (await admin.GetAsync($"sale-points/{id}")).ReadAsync())["isActive"]!);
    }
}
