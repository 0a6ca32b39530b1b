using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Security;

/// <summary>
/// Issue #18, item 3 (ADR 0020): a POS token is for the POS. It carries its channel; the back office refuses it; what
/// it may ask (its own permissions and decisions, its own PIN) is decided at its sale point.
/// </summary>
public sealed class TokenChannelTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private sealed record Pos(
        TenantClient Admin,
        string UserId,
        string SalePoint,
        string OtherSalePoint,
        HttpClient Token
    );

    /// <summary>A user manager with every back-office right, a cashier at SP1, logged in at the POS there.</summary>
    private async Task<Pos> PosAsync()
    {
        var admin = await api.CreateTenantAsync();
        var (sp1, sp2) = (
            await AssignmentTests.SalePointAsync(admin, "SP1"),
            await AssignmentTests.SalePointAsync(admin, "SP2")
        );
        var id = (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = "Pos",
                        lastName = "Boss",
                        loginCode = "posboss",
                        password = "posboss-password-1",
                        type = "BusinessGroupManager",
                    }
                )
            )["id"]!;
        await admin.GiveRoleAsync(id, "Administrator");
        await admin.GiveRoleAsync(id, "Business Group Manager");
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await admin.PostAsync(
                    $"users/{id}/sale-points",
                    new { salePointId = sp1, roleId = await admin.RoleIdAsync("POS Cashier") }
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await admin.PutAsync($"users/{id}/pin", new { pin = "2580" })).StatusCode
        );
        var token = api.CreateClient();
        var login = await token.PostAsJsonAsync(
            admin.Url("auth/pos-login"),
            new
            {
                salePointId = sp1,
                loginCode = "posboss",
                pin = "2580",
            }
        );
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        token.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            (string)(await login.ReadAsync())["token"]!
        );
        return new Pos(admin, id, sp1, sp2, token);
    }

    [Fact]
    public async Task Every_back_office_endpoint_of_every_module_refuses_a_POS_token()
    {
        var pos = await PosAsync();
        var endpoints = ApiEndpoints.Of(api).Where(e => !e.Anonymous && !e.AcceptsPosTokens).ToList();
        Assert.True(endpoints.Count > 70, $"only {endpoints.Count} endpoints found");
        var answered = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.AnyPath(pos.Admin.Tenant));
            if (endpoint.Method is "POST" or "PUT")
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            var response = await pos.Token.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.Forbidden || !body.Contains("POS", StringComparison.Ordinal))
                answered.Add($"{endpoint}: {(int)response.StatusCode}");
        }
        Assert.Empty(answered);

        // The same user's web office token still reaches the back office.
        var web = new TenantClient(api.CreateClient(), pos.Admin.Tenant);
        await web.LogInAsync("posboss", "posboss-password-1");
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("users")).StatusCode);
    }

    [Fact]
    public async Task A_manager_refused_at_the_web_office_for_want_of_a_license_gets_nothing_of_it_through_the_POS()
    {
        var pos = await PosAsync();
        Assert.Equal(
            HttpStatusCode.OK,
            (await pos.Admin.PutAsync("licenses/enforcement", new { enforce = true })).StatusCode
        );
        var web = await pos.Admin.Http.PostAsJsonAsync(
            pos.Admin.Url("auth/login"),
            new { loginCode = "posboss", password = "posboss-password-1" }
        );
        Assert.Equal(HttpStatusCode.Forbidden, web.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pos.Token.GetAsync(pos.Admin.Url("users"))).StatusCode);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await pos.Token.GetAsync(pos.Admin.Url("reports/back-office-users?format=csv"))).StatusCode
        );
        var other = (string)(await pos.Admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await pos.Token.PutAsJsonAsync(pos.Admin.Url($"users/{other}/pin"), new { pin = "1357" })).StatusCode
        );
    }

    [Fact]
    public async Task What_a_POS_token_may_ask_is_decided_at_its_sale_point()
    {
        var pos = await PosAsync();
        // Its own permissions: those at its sale point, where the cashier's role applies.
        var mine = await pos.Token.GetAsync(pos.Admin.Url("me/permissions"));
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Contains((await mine.ReadAsync())["permissions"]!.AsArray(), p => (string)p!["code"]! == "pos-login");
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await pos.Token.GetAsync(pos.Admin.Url($"me/permissions?salePointId={pos.OtherSalePoint}"))).StatusCode
        );

        // Its own decisions, at its sale point; not another user's, not another sale point's.
        var check = await pos.Token.PostAsJsonAsync(
            pos.Admin.Url("authorization/check"),
            new { userId = pos.UserId, feature = "pos-login" }
        );
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.True((bool)(await check.ReadAsync())["allowed"]!);
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (
                await pos.Token.PostAsJsonAsync(
                    pos.Admin.Url("authorization/check"),
                    new
                    {
                        userId = pos.UserId,
                        feature = "pos-login",
                        salePointId = pos.OtherSalePoint,
                    }
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (
                await pos.Token.PostAsJsonAsync(
                    pos.Admin.Url("authorization/check"),
                    new { userId = pos.Admin.UserId, feature = "pos-login" }
                )
            ).StatusCode
        );
        var many = await pos.Token.PostAsJsonAsync(
            pos.Admin.Url("authorization/check-many"),
            new { checks = new[] { new { userId = pos.UserId, feature = "pos-login" } } }
        );
        Assert.True((bool)(await many.ReadAsync())["decisions"]![0]!["allowed"]!);

        // Its own PIN.
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await pos.Token.PutAsJsonAsync(pos.Admin.Url($"users/{pos.UserId}/pin"), new { pin = "1357" })).StatusCode
        );
    }
}
