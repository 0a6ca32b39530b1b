using System.Net;
using System.Net.Http.Json;
using OrderStream.Modules.Identity.Authentication;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Security;

/// <summary>
/// Issue #18, item 5 (ADR 0021): the lockout is neither an oracle that lists login codes nor a weapon that locks anyone
/// out for a quarter of an hour with five requests.
/// </summary>
public sealed class LockoutTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<HttpResponseMessage> LogIn(
        TenantClient tenant,
        string login,
        string password,
        string? from = null
    )
    {
        var request = new HttpRequestMessage(HttpMethod.Post, tenant.Url("auth/login"))
        {
            Content = JsonContent.Create(new { loginCode = login, password }),
        };
        if (from is not null)
            request.Headers.Add(ClientAddressFilter.Header, from);
        return await tenant.Http.SendAsync(request);
    }

    private static async Task<string> Answer(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {(string?)(await response.ReadAsync())["detail"]} "
        + $"{response.Headers.RetryAfter?.Delta}";

    [Fact]
    public async Task Known_and_unknown_login_codes_are_answered_alike_attempt_by_attempt()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser(login: "known", password: "right-password-1"));
        for (var attempt = 1; attempt <= 7; attempt++)
        {
            var known = await Answer(await LogIn(admin, "known", "wrong-password"));
            var unknown = await Answer(await LogIn(admin, "nobody-has-this", "wrong-password"));
            Assert.Equal(known, unknown);
            Assert.StartsWith(attempt < 5 ? "401" : "429", known);
            api.Clock.Advance(TimeSpan.FromMinutes(20));
        }
        // The attempts at the unknown code are audited too, saying that no user has it.
        var failed = (await (await admin.GetAsync("audit?type=login_failed&pageSize=200")).ReadAsync())[
            "items"
        ]!.AsArray();
        Assert.Contains(failed, e => ((string)e!["summary"]!).Contains("no user has", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_lock_lasts_twice_as_long_as_the_one_before_up_to_fifteen_minutes()
    {
        Assert.Equal(
            [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900],
            Enumerable.Range(1, 12).Select(n => (int)LoginGuard.LockFor(n).TotalSeconds)
        );
        Assert.Equal(900, (int)LoginGuard.LockFor(int.MaxValue).TotalSeconds);
    }

    [Fact]
    public async Task A_lock_set_off_elsewhere_does_not_keep_the_user_out_at_an_address_they_logged_in_from()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser(login: "victim", password: "right-password-1"));
        const string home = "10.1.1.1",
            attacker = "203.0.113.9",
            elsewhere = "198.51.100.7";
        Assert.Equal(HttpStatusCode.OK, (await LogIn(admin, "victim", "right-password-1", home)).StatusCode);

        for (var i = 0; i < 5; i++)
            await LogIn(admin, "victim", "wrong-password", attacker);
        // Locked for the attacker, and for any address the user never logged in from, even with the right password.
        Assert.Equal(
            HttpStatusCode.TooManyRequests,
            (await LogIn(admin, "victim", "right-password-1", attacker)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.TooManyRequests,
            (await LogIn(admin, "victim", "right-password-1", elsewhere)).StatusCode
        );
        // The user at home gets in, and that ends the lock.
        Assert.Equal(HttpStatusCode.OK, (await LogIn(admin, "victim", "right-password-1", home)).StatusCode);
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (await LogIn(admin, "victim", "wrong-password", attacker)).StatusCode
        );

        // A known address that fails during a lock is heard no longer until the lock is over.
        for (var i = 0; i < 5; i++)
            await LogIn(admin, "victim", "wrong-password", attacker);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LogIn(admin, "victim", "wrong-password", home)).StatusCode);
        Assert.Equal(
            HttpStatusCode.TooManyRequests,
            (await LogIn(admin, "victim", "right-password-1", home)).StatusCode
        );
        api.Clock.Advance(LoginGuard.LongestLock);
        Assert.Equal(HttpStatusCode.OK, (await LogIn(admin, "victim", "right-password-1", home)).StatusCode);
    }
}
