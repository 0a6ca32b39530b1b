using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Web;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Roles;

public sealed class CatalogueTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static string Fold(string name) => Regex.Replace(name.Trim(), @"\s+", " ").ToLowerInvariant();

    private static readonly FeatureCatalogue Catalogue = new();

    [Theory]
    // Issue #23, item 3: the effects seed 001 lists for these features, which the catalogue lacked.
    [InlineData("is-sales-manager", 14, "Customer Sales Order: Authorise this Easy3 order, Authorise this 60D order")]
    // Version 3 split "Use By, Quantity": the quantity hangs on a setting (item 4).
    [InlineData("is-stock-manager", 11, "Stocktake: create stock from a stocktake")]
    [InlineData("can-manage-sales-orders", 5, "Manual Parcel Broker: change the courier before Picking")]
    [InlineData("can-see-item-buy-price", 9, "Repair Symptoms setup: Cost and Sell Price columns")]
    public void The_effects_seed_001_lists_are_in_the_catalogue(string code, int effects, string target)
    {
        var feature = Catalogue.Find(code)!;
        Assert.Equal(effects, feature.Effects.Count);
        Assert.Contains(feature.Effects, e => e.Target == target);
        Assert.Equal(feature.Effects.Count, feature.Effects.Select(e => e.Target).Distinct().Count());
    }

    [Fact]
    public async Task A_Business_Group_Manager_may_hold_invoicing_and_cancelling_which_seed_000_reserves_for_them()
    {
        // Issue #23, item 3: "in some companies PCs may invoice orders; in others this is reserved for administrators".
        var admin = await api.CreateTenantAsync();
        var manager = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Bea", "Boss", type: "BusinessGroupManager")))["id"]!;

        foreach (var code in new[] { "may-save-orders-invoiced", "may-save-orders-cancelled" })
            Assert.Equal(
                HttpStatusCode.OK,
                (await admin.PutAsync($"users/{manager}/grants/{code}", new { })).StatusCode
            );
        // Editing invoiced costs and suppliers stay a coordinator's.
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await admin.PutAsync($"users/{manager}/grants/may-edit-invoiced-costs", new { })).StatusCode
        );
        Assert.Equal(
            ["BusinessGroupManager", "ProductionCoordinator"],
            Catalogue.Find("may-save-orders-cancelled")!.UserTypes!.Order(StringComparer.Ordinal)
        );
    }

    [Fact]
    public void Every_feature_seed_001_names_is_in_the_catalogue_once()
    {
        var names = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Roles", "Seed001Names.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        Assert.True(names.Count >= 130, "the test data lost its names");
        var catalogue = Catalogue.Features.GroupBy(f => Fold(f.Name)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([], names.Where(n => !catalogue.ContainsKey(Fold(n))).ToArray());
        Assert.Equal([], catalogue.Where(c => c.Value > 1).Select(c => c.Key).ToArray());
    }

    [Fact]
    public void Codes_are_unique_slugs_and_every_feature_is_described_with_its_effects()
    {
        Assert.True(Catalogue.Features.Count >= 150);
        Assert.Equal(Catalogue.Features.Count, Catalogue.Features.Select(f => f.Code).Distinct().Count());
        Assert.All(Catalogue.Features, f =>
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", f.Code);
            Assert.False(string.IsNullOrWhiteSpace(f.Description));
            Assert.NotEmpty(f.Effects);
            // A threshold effect needs a qualifier that means something.
            if (f.Effects.Any(e => e.FromQualifier is not null))
                Assert.NotNull(f.Qualifier);
        });
        // The manual's markers: tiers, "not yet active", type-bound rights, the discount limit.
        Assert.Equal(Tier.SystemManager, Catalogue.Find("is-system-manager")!.Tier);
        Assert.Equal(Tier.HostCompanyManager, Catalogue.Find("host-company-manager")!.Tier);
        Assert.Equal(Tier.SystemAdministrator, Catalogue.Find("randomise-all-names")!.Tier);
        Assert.False(Catalogue.Find("asset-manager")!.Active);
        Assert.Equal(["BusinessGroupManager"], Catalogue.Find("may-define-credit-limits")!.UserTypes);
        Assert.True(Catalogue.Find("manage-order-discounts")!.Qualifier!.IsLimit);
        Assert.Equal(10, Catalogue.Find("can-manage-sales-orders")!.Effects.Max(e => e.FromQualifier));
        // The eight BGM rights and the four PC rights of seed 000, of which a BGM may also hold invoicing and
        // cancelling ("reserved for administrators").
        Assert.Equal(8, Catalogue.Features.Count(f => f.UserTypes?.SequenceEqual(["BusinessGroupManager"]) == true));
        Assert.Equal(4, Catalogue.Features.Count(f => f.UserTypes?.Contains("ProductionCoordinator") == true));
        Assert.Equal(10, Catalogue.Features.Count(f => f.UserTypes?.Contains("BusinessGroupManager") == true));
        Assert.Equal(7, Catalogue.Features.Count(f => f.Scope != FeatureScope.Tenant));
    }

    [Fact]
    public void Every_feature_an_endpoint_requires_is_in_the_catalogue()
    {
        _ = api.Server;
        var required = api
            .Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints)
            .SelectMany(e => e.Metadata.GetOrderedMetadata<RequiredFeatures>())
            .SelectMany(r => r.Codes)
            .Distinct()
            .ToList();
        Assert.NotEmpty(required);
        Assert.Equal([], required.Where(code => Catalogue.Find(code) is null).ToArray());
    }

    [Fact]
    public void Every_feature_code_the_contracts_name_is_in_the_catalogue()
    {
        var named = typeof(OrderStream.Modules.Roles.Contracts.SecureFeatureCodes)
            .GetFields()
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        Assert.True(named.Count >= 10, $"only {named.Count} codes");
        Assert.Equal([], named.Where(code => Catalogue.Find(code) is null).ToArray());
    }

    [Fact]
    public async Task The_catalogue_is_browsable_by_area_and_search_and_a_tenant_adds_its_own_features()
    {
        var admin = await api.CreateTenantAsync();
        var stock = await (await admin.GetAsync("secure-features?area=stock")).ReadAsync();
        Assert.All(stock["items"]!.AsArray(), f => Assert.Equal("stock", (string)f!["area"]!));
        Assert.Contains(stock["items"]!.AsArray(), f => (string)f!["code"]! == "can-move-stock");

        var search = await (await admin.GetAsync("secure-features?search=DISCOUNT")).ReadAsync();
        Assert.Contains(search["items"]!.AsArray(), f => (string)f!["code"]! == "manage-order-discounts");
        var discounts = search["items"]!.AsArray().Single(f => (string)f!["code"]! == "manage-order-discounts")!;
        Assert.Equal("None", (string)discounts["tier"]!);
        Assert.Equal("limit", (string)discounts["qualifier"]!["kind"]!);
        Assert.Equal("FieldDisabled", (string)discounts["effects"]![0]!["kind"]!);

        var created = await admin.PostAsync(
            "secure-features",
            new
            {
                code = "can-approve-refunds",
                name = "Can Approve Refunds",
                area = "sales",
                description = "Approves refunds.",
            }
        );
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True((bool)(await created.ReadAsync())["custom"]!);
        var again = await admin.PostAsync(
            "secure-features",
            new
            {
                code = "can-approve-refunds",
                name = "Twice",
                area = "sales",
            }
        );
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(["code"], (await again.ErrorsAsync()).Keys);
        var shadow = await admin.PostAsync(
            "secure-features",
            new
            {
                code = "can-move-stock",
                name = "Mine",
                area = "stock",
            }
        );
        Assert.Equal(HttpStatusCode.Conflict, shadow.StatusCode);
        var bad = await admin.PostAsync(
            "secure-features",
            new
            {
                code = "Not A Slug",
                name = "",
                area = "x",
            }
        );
        Assert.Equal(["code", "name"], (await bad.ErrorsAsync()).Keys.Order());

        var mine = await (await admin.GetAsync("secure-features?search=approve refunds")).ReadAsync();
        Assert.Equal("can-approve-refunds", (string)Assert.Single(mine["items"]!.AsArray())!["code"]!);
        // Usable at once in a role and in decisions, and invisible to other tenants.
        var refunds = await admin.PostAsync(
            "roles",
            new { name = "Refunds", grants = new[] { new { featureCode = "can-approve-refunds" } } }
        );
        Assert.Equal(HttpStatusCode.Created, refunds.StatusCode);
        var clerk = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Re", "Funds")))["id"]!;
        await admin.Http.PutAsync(admin.Url($"users/{clerk}/roles/{(string)(await refunds.ReadAsync())["id"]!}"), null);
        var decision = await (
            await admin.PostAsync("authorization/check", new { userId = clerk, feature = "can-approve-refunds" })
        ).ReadAsync();
        Assert.True((bool)decision["allowed"]!);
        var other = await api.CreateTenantAsync();
        Assert.Empty(
            (await (await other.GetAsync("secure-features?search=approve refunds")).ReadAsync())["items"]!.AsArray()
        );
    }
}
