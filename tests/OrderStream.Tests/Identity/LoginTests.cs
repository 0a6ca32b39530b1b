using System.Net;
using System.Net.Http.Json;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class LoginTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static Task<HttpResponseMessage> LogIn(TenantClient tenant, string login, string password) =>
        tenant.Http.PostAsJsonAsync(tenant.Url("auth/login"), new { loginCode = login, password });

    [Fact]
    public async Task A_correct_password_gives_a_token_for_the_tenant_and_login_codes_ignore_case()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser(login: "mhuber", password: "right-password-1"));
        var anonymous = new TenantClient(api.CreateClient(), admin.Tenant);
        var ok = await LogIn(anonymous, "MHUBER", "right-password-1");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.ReadAsync();
        Assert.False(string.IsNullOrEmpty((string)body["token"]!));
        Assert.True(DateTimeOffset.Parse((string)body["expiresAt"]!) > api.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Unknown_login_and_wrong_password_get_the_same_answer()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser(login: "mhuber", password: "right-password-1"));
        var unknown = await LogIn(admin, "nobody", "whatever-123");
        var wrong = await LogIn(admin, "mhuber", "wrong-password");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal((string)(await unknown.ReadAsync())["detail"]!, (string)(await wrong.ReadAsync())["detail"]!);
        Assert.Equal(
            ["loginCode", "password"],
            (await (await admin.PostAsync("auth/login", new { })).ErrorsAsync()).Keys.Order()
        );
    }

    [Fact]
    public async Task Inactive_users_and_users_not_allowed_to_log_in_are_told_why_after_a_correct_password()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "leaver", password: "right-password-1")))["id"]!;
        await admin.CreateUserAsync(
            new
            {
                firstName = "No",
                lastName = "Login",
                loginCode = "nologin",
                password = "right-password-1",
                allowLogin = false,
            }
        );
        await admin.PostAsync($"users/{id}/deactivate", new { reason = "left" });

        var inactive = await LogIn(admin, "leaver", "right-password-1");
        Assert.Equal(HttpStatusCode.Forbidden, inactive.StatusCode);
        Assert.Contains("inactive", (string)(await inactive.ReadAsync())["detail"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogIn(admin, "leaver", "wrong-password")).StatusCode);
        var notAllowed = await LogIn(admin, "nologin", "right-password-1");
        Assert.Equal(HttpStatusCode.Forbidden, notAllowed.StatusCode);
        Assert.Contains("not allowed to log in", (string)(await notAllowed.ReadAsync())["detail"]!);

        await admin.PostAsync($"users/{id}/reactivate", null);
        Assert.Equal(HttpStatusCode.OK, (await LogIn(admin, "leaver", "right-password-1")).StatusCode);
    }

    [Fact]
    public async Task From_the_fifth_failure_in_a_row_each_failure_locks_the_login_longer_and_it_is_audited()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "target", password: "right-password-1")))["id"]!;
        for (var i = 1; i <= 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogIn(admin, "target", "wrong-password")).StatusCode);
        var fifth = await LogIn(admin, "target", "wrong-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), fifth.Headers.RetryAfter!.Delta);

        // Locked: even the right password is refused, with the time left.
        api.Clock.Advance(TimeSpan.FromSeconds(20));
        var locked = await LogIn(admin, "target", "right-password-1");
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), locked.Headers.RetryAfter!.Delta);

        // Once it runs out, the next failure locks at once, for twice as long.
        api.Clock.Advance(TimeSpan.FromSeconds(10));
        var sixth = await LogIn(admin, "target", "wrong-password");
        Assert.Equal(TimeSpan.FromSeconds(60), sixth.Headers.RetryAfter!.Delta);
        api.Clock.Advance(TimeSpan.FromSeconds(60));
        var seventh = await LogIn(admin, "target", "wrong-password");
        Assert.Equal(TimeSpan.FromSeconds(120), seventh.Headers.RetryAfter!.Delta);

        api.Clock.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(HttpStatusCode.OK, (await LogIn(admin, "target", "right-password-1")).StatusCode);

        var audit = await (await admin.GetAsync($"audit?subject={id}&pageSize=50")).ReadAsync();
        // Other modules' entries about the user (Billing's account) arrive on their own schedule; the login entries
        // keep their order.
        var types = audit["items"]!
            .AsArray()
            .Select(e => (string)e!["type"]!)
            .Where(t => t.StartsWith("login_", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(
            [
                "login_succeeded",
                "login_locked_out",
                "login_failed",
                "login_locked_out",
                "login_failed",
                "login_locked_out",
                "login_failed",
                "login_failed",
                "login_failed",
                "login_failed",
                "login_failed",
            ],
            types
        );
    }

    [Fact]
    public async Task A_success_resets_the_count_of_consecutive_failures()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser(login: "target", password: "right-password-1"));
        for (var i = 0; i < 4; i++)
            await LogIn(admin, "target", "wrong-password");
        Assert.Equal(HttpStatusCode.OK, (await LogIn(admin, "target", "right-password-1")).StatusCode);
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LogIn(admin, "target", "wrong-password")).StatusCode);
    }

    [Fact]
    public async Task Logging_in_does_not_change_the_users_etag()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "target", password: "right-password-1")))["id"]!;
        var before = (await admin.GetAsync($"users/{id}")).Headers.ETag!.Tag;
        await LogIn(admin, "target", "right-password-1");
        await LogIn(admin, "target", "wrong-password");
        Assert.Equal(before, (await admin.GetAsync($"users/{id}")).Headers.ETag!.Tag);
    }
}
