using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

/// <summary>
/// Issue #23, item 6: passwords of at least 10 characters, holding neither the login code nor the name, and not among
/// the common ones shipped with the service; a user changes their own, and every other session of theirs ends at once.
/// </summary>
public sealed class PasswordTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("short-pw1", "10 to 128 characters")]
    [InlineData("PPeters-2026!", "login code")]
    [InlineData("Paul.Peters.1966", "name")]
    [InlineData("peters paul 42", "name")]
    [InlineData("QWERTYUIOP", "most common passwords")]
    [InlineData("password123", "most common passwords")]
    public async Task A_weak_password_is_refused_naming_the_field_and_why(string password, string why)
    {
        var admin = await api.CreateTenantAsync();
        var refused = await admin.PostAsync(
            "users",
            TenantClient.NewUser("Paul", "Peters", "ppeters", password: password)
        );

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = await refused.ErrorsAsync();
        Assert.Equal(["password"], errors.Keys);
        Assert.Contains(why, errors["password"].Single());
    }

    [Fact]
    public async Task A_user_changes_their_own_password_and_their_other_sessions_end()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(TenantClient.NewUser("Paul", "Peters", "ppeters", password: "first-secret-42"));
        var desk = new TenantClient(api.CreateClient(), admin.Tenant);
        await desk.LogInAsync("ppeters", "first-secret-42");
        var phone = new TenantClient(api.CreateClient(), admin.Tenant);
        await phone.LogInAsync("ppeters", "first-secret-42");
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("me/permissions")).StatusCode);

        var wrong = await desk.PutAsync("me/password", new { currentPassword = "not-it-at-all", newPassword = "x" });
        Assert.Equal(["currentPassword"], (await wrong.ErrorsAsync()).Keys);
        var weak = await desk.PutAsync(
            "me/password",
            new { currentPassword = "first-secret-42", newPassword = "qwertyuiop" }
        );
        Assert.Equal(["newPassword"], (await weak.ErrorsAsync()).Keys);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("me/permissions")).StatusCode); // nothing changed yet

        var changed = await desk.PutAsync(
            "me/password",
            new { currentPassword = "first-secret-42", newPassword = "second-secret-42" }
        );
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        // The phone's session ended; the desk goes on with the token it was answered, not with its old one.
        var ended = await phone.GetAsync("me/permissions");
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        Assert.Contains("password changed", (string)(await ended.ReadAsync())["detail"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.GetAsync("me/permissions")).StatusCode);
        desk.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            (string)(await changed.ReadAsync())["token"]!
        );
        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync("me/permissions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogInAsync(admin, "ppeters", "first-secret-42")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LogInAsync(admin, "ppeters", "second-secret-42")).StatusCode);

        var audit = await (await admin.GetAsync("audit?type=sessions_ended")).ReadAsync();
        Assert.Equal(
            "Sessions ended (password changed by the user): tokens issued before no longer work.",
            (string)audit["items"]!.AsArray().Single()!["summary"]!
        );
    }

    [Fact]
    public async Task A_password_an_administrator_sets_ends_the_users_sessions()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)
            (
                await admin.CreateUserAsync(
                    TenantClient.NewUser("Paul", "Peters", "ppeters", password: "first-secret-42")
                )
            )["id"]!;
        var paul = new TenantClient(api.CreateClient(), admin.Tenant);
        await paul.LogInAsync("ppeters", "first-secret-42");
        var user = await (await admin.GetAsync($"users/{id}")).ReadAsync();

        var set = await admin.PutAsync(
            $"users/{id}",
            new
            {
                firstName = "Paul",
                lastName = "Peters",
                loginCode = "ppeters",
                password = "given-secret-42",
            },
            $"\"{(long)user["version"]!}\""
        );

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await paul.GetAsync("me/permissions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LogInAsync(admin, "ppeters", "given-secret-42")).StatusCode);
    }

    private static Task<HttpResponseMessage> LogInAsync(TenantClient client, string loginCode, string password) =>
        client.Http.PostAsJsonAsync(client.Url("auth/login"), new { loginCode, password });
}
