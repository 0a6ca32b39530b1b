using System.Net;
using System.Net.Http.Json;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

/// <summary>The console's session cookie and its anti-forgery token (issue #21, ADR 0027).</summary>
public sealed class SessionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Signing_in_answers_a_cookie_script_cannot_read_and_no_token()
    {
        var admin = await api.CreateTenantAsync();
        var browser = api.CreateClient();
        var response = await SignIn(browser, admin.Tenant, "admin", TenantClient.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("orderstream-session=", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        var body = await response.ReadAsync();
        Assert.Null(body["token"]);
        Assert.Equal("admin", (string)body["loginCode"]!);
        Assert.Equal(admin.Tenant, (string)body["tenant"]!);
        Assert.Equal(("Europe/Vienna", "EUR"), ((string)body["timeZone"]!, (string)body["currency"]!));
        Assert.False(string.IsNullOrEmpty((string)body["antiforgeryToken"]!));
        Assert.DoesNotContain(
            cookie.Split(';')[0]["orderstream-session=".Length..],
            await response.Content.ReadAsStringAsync()
        );

        // The cookie alone reads, as a bearer token would, and the session is read again with it.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/tenants/{admin.Tenant}/users")).StatusCode);
        var again = await (await browser.GetAsync($"/api/tenants/{admin.Tenant}/auth/session")).ReadAsync();
        Assert.Equal((string)body["antiforgeryToken"]!, (string)again["antiforgeryToken"]!);
    }

    [Fact]
    public async Task A_change_made_with_the_cookie_needs_its_anti_forgery_token()
    {
        var admin = await api.CreateTenantAsync();
        var browser = api.CreateClient();
        var session = await (await SignIn(browser, admin.Tenant, "admin", TenantClient.AdminPassword)).ReadAsync();
        var url = $"/api/tenants/{admin.Tenant}/me/preferences/user-list";
        var layout = new { columns = new[] { "lastName", "city" } };

        var none = await browser.PutAsJsonAsync(url, layout);
        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        Assert.Contains("X-CSRF-Token", (string)(await none.ReadAsync())["detail"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await Put(browser, url, layout, "not-the-token")).StatusCode);
        var other = await (
            await SignIn(api.CreateClient(), admin.Tenant, "admin", TenantClient.AdminPassword)
        ).ReadAsync();
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await Put(browser, url, layout, (string)other["antiforgeryToken"]!)).StatusCode
        );

        var ok = await Put(browser, url, layout, (string)session["antiforgeryToken"]!);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        // A bearer token is not a cookie a page can be tricked into sending: it needs no anti-forgery token.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("me/preferences/user-list", layout)).StatusCode);
    }

    [Fact]
    public async Task Signing_in_is_refused_as_the_login_is_and_counts_towards_its_lock()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "leaver", password: "right-password-1")))["id"]!;
        await admin.CreateUserAsync(TenantClient.NewUser(login: "guessed", password: "right-password-1"));
        await admin.PostAsync($"users/{id}/deactivate", new { reason = "left" });
        var browser = api.CreateClient();

        var inactive = await SignIn(browser, admin.Tenant, "leaver", "right-password-1");
        var login = await admin.Http.PostAsJsonAsync(
            admin.Url("auth/login"),
            new { loginCode = "leaver", password = "right-password-1" }
        );
        Assert.Equal(HttpStatusCode.Forbidden, inactive.StatusCode);
        Assert.Equal((string)(await login.ReadAsync())["detail"]!, (string)(await inactive.ReadAsync())["detail"]!);
        Assert.False(inactive.Headers.Contains("Set-Cookie"));
        for (var i = 0; i < 4; i++)
            Assert.Equal(
                HttpStatusCode.Unauthorized,
                (await SignIn(browser, admin.Tenant, "guessed", "wrong-password-" + i)).StatusCode
            );
        var fifth = await admin.Http.PostAsJsonAsync(
            admin.Url("auth/login"),
            new { loginCode = "guessed", password = "wrong-password-5" }
        );
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.Equal(
            HttpStatusCode.TooManyRequests,
            (await SignIn(browser, admin.Tenant, "guessed", "right-password-1")).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await browser.GetAsync($"/api/tenants/{admin.Tenant}/auth/session")).StatusCode
        );
    }

    [Fact]
    public async Task Signing_out_removes_the_cookie()
    {
        var admin = await api.CreateTenantAsync();
        var browser = api.CreateClient();
        var session = await (await SignIn(browser, admin.Tenant, "admin", TenantClient.AdminPassword)).ReadAsync();
        var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/tenants/{admin.Tenant}/auth/session");
        request.Headers.Add("X-CSRF-Token", (string)session["antiforgeryToken"]!);

        var signedOut = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);
        Assert.Contains("expires=Thu, 01 Jan 1970", Assert.Single(signedOut.Headers.GetValues("Set-Cookie")));
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await browser.GetAsync($"/api/tenants/{admin.Tenant}/users")).StatusCode
        );
    }

    [Fact]
    public async Task Outside_development_the_cookie_is_secure()
    {
        await using var production = new ApiFactory(
            null,
            new() { ["environment"] = "Production", ["Jwt:SigningKey"] = "a-signing-key-for-this-test-only-0123456789" }
        );
        var admin = await production.CreateTenantAsync();
        var response = await SignIn(production.CreateClient(), admin.Tenant, "admin", TenantClient.AdminPassword);
        Assert.Contains("; secure", Assert.Single(response.Headers.GetValues("Set-Cookie")));
    }

    private static Task<HttpResponseMessage> SignIn(HttpClient client, string tenant, string login, string password) =>
        client.PostAsJsonAsync($"/api/tenants/{tenant}/auth/session", new { loginCode = login, password });

    private static Task<HttpResponseMessage> Put(HttpClient client, string url, object body, string antiforgery)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-Token", antiforgery);
        return client.SendAsync(request);
    }
}
