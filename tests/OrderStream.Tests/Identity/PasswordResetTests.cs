using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

/// <summary>
/// Issue #23, item 6: a link to set one's password, asked for without learning whether the account exists or sent by
/// an administrator; mailed through the outbox, stored only hashed, good for an hour and once; using it ends every
/// session of the user.
/// </summary>
public sealed partial class PasswordResetTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [GeneratedRegex("token=([A-Za-z0-9_-]{20,})")]
    private static partial Regex TokenPattern();

    private static string TokenOf(JsonObject mail) => TokenPattern().Match((string)mail["text"]!).Groups[1].Value;

    private static Task<HttpResponseMessage> Anonymous(TenantClient client, string path, object body) =>
        client.Http.PostAsJsonAsync(client.Url(path), body);

    private static Task<HttpResponseMessage> LogIn(TenantClient client, string login, string password) =>
        Anonymous(client, "auth/login", new { loginCode = login, password });

    [Fact]
    public async Task A_user_who_forgot_their_password_sets_a_new_one_by_the_mailed_link_once()
    {
        var admin = await api.CreateTenantAsync();
        var address = $"rita-{admin.Tenant}@example.com";
        await admin.CreateUserAsync(
            TenantClient.NewUser("Rita", "Reset", "rreset", email: address, password: "forgotten-pw-77")
        );
        var old = new TenantClient(api.CreateClient(), admin.Tenant);
        await old.LogInAsync("rreset", "forgotten-pw-77");
        var anonymous = new TenantClient(api.CreateClient(), admin.Tenant);

        var known = await Anonymous(anonymous, "auth/password-reset", new { loginCodeOrEmail = "RReset" });
        var unknown = await Anonymous(anonymous, "auth/password-reset", new { loginCodeOrEmail = "nobody-here" });

        // The same answer whether or not the account exists.
        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        var mail = (await Mailbox.WaitForAsync(address)).Single();
        Assert.Equal("Set your OrderStream password", (string)mail["subject"]!);
        var token = TokenOf(mail);
        // Stored only hashed: the token is nowhere in the database.
        await using (var db = NpgsqlDataSource.Create(api.ConnectionString))
        {
            var found = await db.CreateCommand(
                    $"select count(*) from identity.mt_doc_passwordresettoken where data::text like '%{token}%'"
                )
                .ExecuteScalarAsync();
            Assert.Equal(0L, found);
        }

        var weak = await Anonymous(
            anonymous,
            "auth/password-reset/confirm",
            new { token, newPassword = "rreset-2026" }
        );
        Assert.Equal(["newPassword"], (await weak.ErrorsAsync()).Keys);
        var set = await Anonymous(
            anonymous,
            "auth/password-reset/confirm",
            new { token, newPassword = "remembered-pw-78" }
        );
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("me/permissions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LogIn(anonymous, "rreset", "forgotten-pw-77")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LogIn(anonymous, "rreset", "remembered-pw-78")).StatusCode);
        var again = await Anonymous(
            anonymous,
            "auth/password-reset/confirm",
            new { token, newPassword = "another-pw-79x" }
        );
        Assert.Equal(["token"], (await again.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Reset_mails_to_one_account_are_held_to_five_an_hour()
    {
        var admin = await api.CreateTenantAsync();
        var hal = (string)
            (
                await admin.CreateUserAsync(
                    TenantClient.NewUser("Hal", "Limit", "hlimit", email: $"hal-{admin.Tenant}@example.com")
                )
            )["id"]!;

        // Five, a minute apart; the sixth within the hour waits until the first is an hour old.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(
                HttpStatusCode.Accepted,
                (await admin.PostAsync($"users/{hal}/password-reset", null)).StatusCode
            );
            api.Clock.Advance(TimeSpan.FromSeconds(61));
        }
        var sixth = await admin.PostAsync($"users/{hal}/password-reset", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Contains(
            "This user had 5 password-reset mails in the last hour.",
            (string)(await sixth.ReadAsync())["detail"]!
        );
        Assert.InRange(sixth.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 3600 - 5 * 61 - 1, 3600 - 5 * 61 + 1);
        api.Clock.Advance(TimeSpan.FromSeconds(3600 - 5 * 61 + 1)); // the wait said, and a second
        await admin.LogInAsync("admin", TenantClient.AdminPassword); // the admin's own token lapsed with the hour
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"users/{hal}/password-reset", null)).StatusCode);
    }

    [Fact]
    public async Task An_administrator_sends_the_link_which_lapses_after_an_hour_and_is_not_sent_twice_a_minute()
    {
        var admin = await api.CreateTenantAsync();
        var address = $"sven-{admin.Tenant}@example.com";
        var sven = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Sven", "Sent", "ssent", email: address)))["id"]!;

        // An instant whose last 100-ns digit PostgreSQL rounds up: a mail due at it once never went with this clock.
        api.Clock.Advance(TimeSpan.FromTicks((19 - api.Clock.GetUtcNow().Ticks % 10) % 10));
        var sent = await admin.PostAsync($"users/{sven}/password-reset", null);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal(address, (string)(await sent.ReadAsync())["to"]!);
        var soon = await admin.PostAsync($"users/{sven}/password-reset", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, soon.StatusCode);
        Assert.NotNull(soon.Headers.RetryAfter);
        var token = TokenOf((await Mailbox.WaitForAsync(address)).Single());

        api.Clock.Advance(TimeSpan.FromMinutes(61));
        var lapsed = await Anonymous(
            new TenantClient(api.CreateClient(), admin.Tenant),
            "auth/password-reset/confirm",
            new { token, newPassword = "too-late-pw-80" }
        );
        Assert.Contains("older than an hour", (await lapsed.ErrorsAsync())["token"].Single());

        await admin.LogInAsync("admin", TenantClient.AdminPassword); // the admin's own token lapsed with the hour
        var audit = await (await admin.GetAsync("audit?type=password_reset_link_sent")).ReadAsync();
        Assert.Equal(
            $"A link to set the password was sent to {address}.",
            (string)audit["items"]!.AsArray().Single()!["summary"]!
        );
        var noAddress = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Nora", "Nomail", "nnomail")))["id"]!;
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await admin.PostAsync($"users/{noAddress}/password-reset", null)).StatusCode
        );
    }
}
