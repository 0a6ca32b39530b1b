using Bunit;
using Microsoft.AspNetCore.Components.Web;
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

    [Fact]
    public async Task The_form_tabs_follow_the_arrow_keys_home_and_end_and_count_the_refused_fields()
    {
        await using var context = NewContext();
        var active = 0;
        IRenderedComponent<FormTabs>? tabs = null;
        tabs = context.Render<FormTabs>(p =>
            p.Add(c => c.Id, "f")
                .Add(c => c.Label, "Ida Roth")
                .Add(c => c.Tabs, [new("General", 2), new("Roles"), new("Stores")])
                .Add(c => c.Active, active)
                .Add(c => c.ActiveChanged, (int to) => tabs!.Render(q => q.Add(c => c.Active, active = to)))
                .AddChildContent("<p>panel</p>")
        );

        string[] Selected() =>
            [
                .. tabs.FindAll("[role=tab]")
                    .Select(t => $"{t.GetAttribute("aria-selected")} {t.GetAttribute("tabindex")}"),
            ];
        Assert.Equal(["true 0", "false -1", "false -1"], Selected());
        Assert.Equal("f-tab-0", tabs.Find("[role=tabpanel]").GetAttribute("aria-labelledby"));
        Assert.Equal("2", tabs.Find("#f-tab-0 .form-tab-badge").TextContent);
        Assert.Contains("fields to correct: 2", tabs.Find("#f-tab-0").TextContent);
        Assert.Empty(tabs.FindAll("#f-tab-1 .form-tab-badge"));

        var list = tabs.Find("[role=tablist]");
        list.KeyDown(new KeyboardEventArgs { Key = "ArrowRight" });
        Assert.Equal(1, active);
        list.KeyDown(new KeyboardEventArgs { Key = "End" });
        Assert.Equal(2, active);
        list.KeyDown(new KeyboardEventArgs { Key = "ArrowRight" }); // round to the first
        Assert.Equal(0, active);
        list.KeyDown(new KeyboardEventArgs { Key = "ArrowLeft" }); // and back to the last
        Assert.Equal(2, active);
        list.KeyDown(new KeyboardEventArgs { Key = "Home" });
        Assert.Equal(0, active);
        list.KeyDown(new KeyboardEventArgs { Key = "a" });
        Assert.Equal(0, active);
        tabs.Find("#f-tab-1").Click();
        Assert.Equal(["false -1", "true 0", "false -1"], Selected());
        Assert.Equal("f-tab-1", tabs.Find("[role=tabpanel]").GetAttribute("aria-labelledby"));
        // The arrow keys move the focus with the selection (a roving tab stop).
        Assert.Equal(5, context.JSInterop.Invocations.Count(i => i.Identifier == "Blazor._internal.domWrapper.focus"));
    }
}
