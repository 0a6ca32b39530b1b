using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Mail;
using OrderStream.Modules.Billing.Licenses;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Billing;

/// <summary>
/// Web office licenses (issue #5, seed 002): purchase, link with a confirmation mail sent through a real SMTP server
/// (MailDev) and read back, confirm with the one-time token, unlink; login when the tenant enforces them; expiry; the
/// outbox.
/// </summary>
public sealed partial class LicenseTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static string Address() => $"lic-{Guid.NewGuid():N}@mail.example";

    private static string TokenOf(JsonObject mail) => TokenPattern().Match((string)mail["text"]!).Groups[1].Value;

    [GeneratedRegex("token=([A-Za-z0-9_-]{20,})")]
    private static partial Regex TokenPattern();

    private static Task<HttpResponseMessage> LogIn(TenantClient client, string login, string password) =>
        client.Http.PostAsJsonAsync(client.Url("auth/login"), new { loginCode = login, password });

    /// <summary>
    /// The tenant's one outbox mail, once it reached <paramref name="status"/> (or as it is after 20 s).
    /// </summary>
    private static async Task<JsonObject> MailStateAsync(TenantClient admin, string status)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var state = (await (await admin.GetAsync("licenses/mail")).Content.ReadFromJsonAsync<JsonArray>())!
                .Single()!
                .AsObject();
            if (
                (string)state["status"]! == status && (status != "retrying" || state["lastError"] is not null)
                || DateTime.UtcNow > until
            )
                return state;
            await Task.Delay(100);
        }
    }

    private static Task<HttpResponseMessage> Confirm(TenantClient client, string token) =>
        client.Http.PostAsJsonAsync(client.Url("licenses/confirm"), new { token });

    [Fact]
    public async Task A_license_is_linked_confirmed_from_the_mail_and_then_lets_its_user_into_an_enforcing_tenant()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Lia", "Lenz", "lia", password: "lia-password-123")))[
                "id"
            ]!;
        var address = Address();

        var none = await admin.PostAsync("licenses/link", new { userId = user, email = address });
        Assert.Equal(HttpStatusCode.Conflict, none.StatusCode);
        Assert.Contains("purchase more first", (string)(await none.ReadAsync())["detail"]!);
        var bought = await (await admin.PostAsync("licenses/purchase", new { count = 2 })).ReadAsync();
        Assert.Equal((2, 2), ((int)bought["total"]!, (int)bought["unused"]!));

        await admin.PutAsync("licenses/enforcement", new { enforce = true });
        var withoutLicense = await LogIn(admin, "lia", "lia-password-123");
        Assert.Equal(HttpStatusCode.Forbidden, withoutLicense.StatusCode);
        Assert.Contains("you have none", (string)(await withoutLicense.ReadAsync())["detail"]!);

        var linked = await (await admin.PostAsync("licenses/link", new { userId = user, email = address })).ReadAsync();
        Assert.Equal((1, 1, 0), ((int)linked["linked"]!, (int)linked["unused"]!, (int)linked["confirmed"]!));
        var unconfirmed = await LogIn(admin, "lia", "lia-password-123");
        Assert.Contains(address, (string)(await unconfirmed.ReadAsync())["detail"]!);

        var mail = (await Mailbox.WaitForAsync(address)).Single();
        Assert.Equal("Confirm your OrderStream web office license", (string)mail["subject"]!);
        var token = TokenOf(mail);
        Assert.Equal("sent", (string)(await MailStateAsync(admin, "sent"))["status"]!);

        Assert.Equal(["token"], (await (await Confirm(admin, token + "x")).ErrorsAsync()).Keys);
        Assert.Equal(HttpStatusCode.OK, (await Confirm(admin, token)).StatusCode);
        Assert.Equal(1, (int)(await (await admin.GetAsync("licenses")).ReadAsync())["confirmed"]!);
        Assert.Equal(HttpStatusCode.OK, (await LogIn(admin, "lia", "lia-password-123")).StatusCode);
        // Single use; one license per user.
        Assert.Contains("used already", (await (await Confirm(admin, token)).ErrorsAsync())["token"][0]);
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await admin.PostAsync("licenses/link", new { userId = user, email = address })).StatusCode
        );

        // The token was never stored: the audit log holds only its hash.
        var audit = await (await admin.GetAsync("audit?pageSize=200")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, audit);
        Assert.Contains("license_confirmation_issued", audit);

        var licenseId = (string)
            (await (await admin.GetAsync("licenses")).ReadAsync())["licenses"]!
                .AsArray()
                .Single(l => (string?)l!["userId"] == user)!["id"]!;
        var freed = await (await admin.PostAsync($"licenses/{licenseId}/unlink", null)).ReadAsync();
        Assert.Equal(2, (int)freed["unused"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await LogIn(admin, "lia", "lia-password-123")).StatusCode);
        // System Administrators are exempt: enforcing licenses never locks the tenant out.
        Assert.Equal(HttpStatusCode.OK, (await LogIn(admin, "admin", TenantClient.AdminPassword)).StatusCode);
    }

    [Fact]
    public async Task A_confirmation_link_expires_after_48_hours_and_a_resent_one_replaces_it()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Max", "Moll", "max48")))["id"]!;
        var address = Address();
        await admin.PostAsync("licenses/purchase", new { count = 1 });
        var linked = await (await admin.PostAsync("licenses/link", new { userId = user, email = address })).ReadAsync();
        var licenseId = (string)linked["licenses"]![0]!["id"]!;
        var first = TokenOf((await Mailbox.WaitForAsync(address)).Single());

        api.Clock.Advance(TimeSpan.FromHours(49));
        await admin.LogInAsync("admin", TenantClient.AdminPassword);
        Assert.Contains("expired", (await (await Confirm(admin, first)).ErrorsAsync())["token"][0]);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"licenses/{licenseId}/resend", null)).StatusCode);
        var second = TokenOf((await Mailbox.WaitForAsync(address, 2))[1]);
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.BadRequest, (await Confirm(admin, first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Confirm(admin, second)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"licenses/{licenseId}/resend", null)).StatusCode);
    }

    [Fact]
    public async Task Confirmation_mails_go_once_a_minute_and_five_an_hour_per_license_and_ten_an_hour_per_address()
    {
        var admin = await api.CreateTenantAsync();
        var address = Address();
        await admin.PostAsync("licenses/purchase", new { count = 3 });
        async Task<(HttpResponseMessage Answer, string UserId)> LinkAsync(string login)
        {
            var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Lena", "Limit", login)))["id"]!;
            return (await admin.PostAsync("licenses/link", new { userId = user, email = address }), user);
        }

        // Two licenses, five mails each to one address, a minute apart; a license's sixth and the address's
        // eleventh wait.
        for (var license = 0; license < 2; license++)
        {
            var (answer, user) = await LinkAsync($"lena{license}");
            var id = (string)
                (await answer.ReadAsync())["licenses"]!.AsArray().Single(l => (string?)l!["userId"] == user)!["id"]!;
            var soon = await admin.PostAsync($"licenses/{id}/resend", null);
            Assert.Equal(HttpStatusCode.TooManyRequests, soon.StatusCode);
            Assert.Contains("less than a minute ago", (string)(await soon.ReadAsync())["detail"]!);
            for (var i = 0; i < 4; i++)
            {
                api.Clock.Advance(TimeSpan.FromSeconds(61));
                Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"licenses/{id}/resend", null)).StatusCode);
            }
            api.Clock.Advance(TimeSpan.FromSeconds(61));
            var sixth = await admin.PostAsync($"licenses/{id}/resend", null);
            Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
            Assert.Contains(
                "This license had 5 confirmation mails in the last hour.",
                (string)(await sixth.ReadAsync())["detail"]!
            );
        }
        var (eleventh, _) = await LinkAsync("lena2");
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
        Assert.Contains(
            $"{address} had 10 confirmation mails in the last hour.",
            (string)(await eleventh.ReadAsync())["detail"]!
        );
    }

    [Fact]
    public async Task A_resent_link_replaces_the_older_one_while_that_one_is_still_young()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Rita", "Resent", "rita")))["id"]!;
        var address = Address();
        await admin.PostAsync("licenses/purchase", new { count = 1 });
        var linked = await (await admin.PostAsync("licenses/link", new { userId = user, email = address })).ReadAsync();
        var licenseId = (string)linked["licenses"]![0]!["id"]!;
        var first = TokenOf((await Mailbox.WaitForAsync(address)).Single());

        // Two minutes later (one mail a minute per license): the first link is far from its 48 hours.
        api.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"licenses/{licenseId}/resend", null)).StatusCode);
        var second = TokenOf((await Mailbox.WaitForAsync(address, 2))[1]);
        Assert.NotEqual(first, second);
        var replaced = (await (await Confirm(admin, first)).ErrorsAsync())["token"][0];
        Assert.Contains("replaced by a newer one", replaced);
        Assert.DoesNotContain("expired", replaced);
        Assert.Equal(HttpStatusCode.OK, (await Confirm(admin, second)).StatusCode);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_managing_licenses_needs_the_billing_right()
    {
        var admin = await api.CreateTenantAsync();
        Assert.Equal(
            ["count"],
            (await (await admin.PostAsync("licenses/purchase", new { count = 0 })).ErrorsAsync()).Keys
        );
        Assert.Equal(
            ["count"],
            (await (await admin.PostAsync("licenses/purchase", new { count = 10_001 })).ErrorsAsync()).Keys
        );
        Assert.Equal(["enforce"], (await (await admin.PutAsync("licenses/enforcement", new { })).ErrorsAsync()).Keys);
        Assert.Equal(
            ["email"],
            (
                await (
                    await admin.PostAsync("licenses/link", new { userId = Guid.NewGuid(), email = "not-an-address" })
                ).ErrorsAsync()
            ).Keys
        );
        Assert.Equal(
            ["userId"],
            (await (await admin.PostAsync("licenses/link", new { email = Address() })).ErrorsAsync()).Keys
        );
        await admin.PostAsync("licenses/purchase", new { count = 1 });
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PostAsync("licenses/link", new { userId = Guid.NewGuid(), email = Address() })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await admin.PostAsync($"licenses/{Guid.NewGuid()}/unlink", null)).StatusCode
        );
        Assert.Equal(["token"], (await (await Confirm(admin, "")).ErrorsAsync()).Keys);

        await admin.CreateUserAsync(TenantClient.NewUser("No", "Rights", "norights", password: "norights-pass-1"));
        var plain = new TenantClient(api.CreateClient(), admin.Tenant);
        await plain.LogInAsync("norights", "norights-pass-1");
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await plain.PostAsync("licenses/purchase", new { count = 1 })).StatusCode
        );
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync("licenses")).StatusCode);
    }

    [Fact]
    public async Task Mail_that_cannot_be_sent_stays_in_the_outbox_with_its_error_and_goes_out_when_the_server_is_back()
    {
        await using var factory = new ApiFactory();
        var admin = await factory.CreateTenantAsync();
        var mail = factory.Services.GetRequiredService<MailSettings>();
        var port = mail.Port;
        mail.Port = 9; // nothing listens there (discard): every attempt fails
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Out", "Box", "outbox")))["id"]!;
        var address = Address();
        await admin.PostAsync("licenses/purchase", new { count = 1 });
        await admin.PostAsync("licenses/link", new { userId = user, email = address });

        var state = await MailStateAsync(admin, "retrying");
        Assert.Equal("retrying", (string)state["status"]!);
        Assert.True((int)state["attempts"]! >= 1);
        Assert.False(string.IsNullOrEmpty((string?)state["lastError"]));

        mail.Port = port;
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await admin.LogInAsync("admin", TenantClient.AdminPassword);
        var arrived = (await Mailbox.WaitForAsync(address)).Single();
        Assert.Equal(HttpStatusCode.OK, (await Confirm(admin, TokenOf(arrived))).StatusCode);
        Assert.Equal("sent", (string)(await MailStateAsync(admin, "sent"))["status"]!);
    }

    [Fact]
    public async Task Links_made_at_once_and_the_mails_going_out_meanwhile_never_refuse_each_other()
    {
        var admin = await api.CreateTenantAsync();
        await admin.PostAsync("licenses/purchase", new { count = 12 });
        var users = new List<string>();
        for (var i = 0; i < 12; i++)
            users.Add((string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!);
        // The mail sender writes to the same licenses while they are linked: nobody sent an If-Match, so nobody is
        // refused.
        var links = await Task.WhenAll(
            users.Select(u => admin.PostAsync("licenses/link", new { userId = u, email = Address() }))
        );
        Assert.All(links, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var pool = await (await admin.GetAsync("licenses")).ReadAsync();
        Assert.Equal(12, (int)pool["linked"]!);
    }
}
