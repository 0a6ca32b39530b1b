using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor;
using MudBlazor.Services;
using OrderStream.AdminConsole.Api;
using OrderStream.AdminConsole.Shared;
using OrderStream.AdminConsole.Users;
using Xunit;

namespace OrderStream.AdminConsole.Tests;

/// <summary>The user form's tabs as components: what they show and what their buttons change (bUnit).</summary>
public sealed class ComponentTests
{
    private static readonly RoleResponse[] Roles =
    [
        new() { Id = UserFormStateTests.Cashier, Name = "POS Cashier" },
        new() { Id = UserFormStateTests.Manager, Name = "Manager" },
    ];

    // MudBlazor's services are only asynchronously disposable: each test disposes its context with await.
    private static BunitContext NewContext()
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Render<MudPopoverProvider>();
        return context;
    }

    [Fact]
    public async Task The_sale_points_tab_lists_each_with_its_role_and_removes_one_or_all()
    {
        await using var context = NewContext();
        var form = UserFormStateTests.Loaded();
        form.SalePoints[UserFormStateTests.Graz] = UserFormStateTests.Manager;
        var tab = context.Render<UserSalePoints>(p =>
            p.Add(c => c.State, form)
                .Add(c => c.Roles, Roles)
                .Add(
                    c => c.SalePoints,
                    [
                        new LocationResponse
                        {
                            Id = UserFormStateTests.Vienna,
                            Name = "Vienna",
                            Code = "V",
                        },
                        new LocationResponse
                        {
                            Id = UserFormStateTests.Graz,
                            Name = "Graz",
                            Code = "G",
                        },
                    ]
                )
        );

        var rows = tab.FindAll("[data-testid=user-sale-points] tbody tr");
        Assert.Equal(["Graz", "Vienna"], rows.Select(r => r.QuerySelector("th")!.TextContent.Trim()));
        tab.Find("button[aria-label='Remove: Graz']").Click();
        Assert.Equal([UserFormStateTests.Vienna], form.SalePoints.Keys);
        tab.FindAll("button").Single(b => b.TextContent.Trim() == "Remove all").Click();
        Assert.Empty(form.SalePoints);
        Assert.Contains("No sale point yet", tab.Find("[data-testid=user-sale-points]").TextContent);
    }

    [Fact]
    public async Task The_stores_tab_marks_the_default_and_removing_it_leaves_none()
    {
        await using var context = NewContext();
        var form = UserFormStateTests.Loaded();
        var tab = context.Render<UserStores>(p =>
            p.Add(c => c.State, form)
                .Add(
                    c => c.Stores,
                    [
                        new LocationResponse
                        {
                            Id = UserFormStateTests.Depot,
                            Name = "Depot",
                            Code = "D",
                        },
                    ]
                )
                .Add(c => c.DefaultProblem, "Depot is not one of the user's stores.")
        );

        Assert.Contains("Depot (default)", tab.Find("[data-testid=user-stores]").TextContent);
        Assert.Contains("Depot is not one of the user's stores.", tab.Markup);
        tab.Find("button[aria-label='Remove: Depot']").Click();
        Assert.Null(form.DefaultStore);
        Assert.True(form.IsDirty);
    }

    [Fact]
    public async Task A_field_problem_is_an_alert_and_nothing_without_one()
    {
        await using var context = NewContext();
        Assert.Empty(context.Render<FieldProblem>().Markup.Trim());
        var shown = context.Render<FieldProblem>(p => p.Add(c => c.Text, "Each role may be listed once."));
        Assert.Equal("alert", shown.Find("[data-testid=field-problem]").GetAttribute("role"));
    }
}
