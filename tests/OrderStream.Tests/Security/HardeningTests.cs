using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Security;

/// <summary>
/// Issue #18, item 5: inactive users' tokens, headers, body limits, mail abuse, secrets in the audit log and logs.
/// </summary>
public sealed partial class HardeningTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_deactivated_users_token_can_no_longer_write_even_for_themselves()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser(login: "leaver", password: "leaver-password-1")))["id"]!;
        var leaver = new TenantClient(api.CreateClient(), admin.Tenant);
        await leaver.LogInAsync("leaver", "leaver-password-1");
        Assert.Equal(
            HttpStatusCode.OK,
            (await leaver.PutAsync("me/preferences/user-list", new { columns = new[] { "lastName" } })).StatusCode
        );
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"users/{id}/deactivate", new { })).StatusCode);

        foreach (
            var response in new[]
            {
                await leaver.PutAsync($"users/{id}/pin", new { pin = "4711" }),
                await leaver.PutAsync("me/preferences/user-list", new { columns = new[] { "firstName" } }),
                await leaver.GetAsync("me/permissions"),
            }
        )
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("inactive", (string)(await response.ReadAsync())["detail"]!);
        }
        // Reactivated, the same token works again.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"users/{id}/reactivate", new { })).StatusCode);
        Assert.Equal(
            HttpStatusCode.NoContent,
            (await leaver.PutAsync($"users/{id}/pin", new { pin = "4711" })).StatusCode
        );
    }

    [Fact]
    public async Task Answers_carry_nosniff_and_are_not_stored_and_the_reference_page_cannot_be_framed()
    {
        var admin = await api.CreateTenantAsync();
        var users = await admin.GetAsync("users");
        Assert.Equal("nosniff", users.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(users.Headers.CacheControl!.NoStore);
        var problem = await admin.GetAsync($"users/{Guid.NewGuid()}");
        Assert.Equal("nosniff", problem.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(problem.Headers.CacheControl!.NoStore);
        var login = await admin.Http.PostAsJsonAsync(
            admin.Url("auth/login"),
            new { loginCode = "admin", password = TenantClient.AdminPassword }
        );
        Assert.True(login.Headers.CacheControl!.NoStore);

        var page = await admin.Http.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("default-src 'self'", policy);
    }

    [Fact]
    public async Task The_reference_and_the_document_can_be_switched_off_and_are_off_in_Production_unless_switched_on()
    {
        await using var off = new ApiFactory(null, new() { ["ApiReference:Enabled"] = "false" });
        var client = off.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/scalar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
        Assert.False(
            OrderStream.Host.ApiReference.Enabled(
                new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
                "Production"
            )
        );
        Assert.True(
            OrderStream.Host.ApiReference.Enabled(
                new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
                "Development"
            )
        );
    }

    [Fact]
    public async Task Request_bodies_are_limited_to_what_each_endpoint_needs()
    {
        await using var kestrel = new ApiFactory();
        kestrel.UseKestrel(0);
        kestrel.StartServer();
        var admin = await kestrel.CreateTenantAsync();
        var big = new string('x', 300 * 1024);
        var tooLarge = await admin.PostAsync(
            "users",
            new
            {
                firstName = "Eva",
                lastName = "Berger",
                loginCode = "eva",
                email = big,
            }
        );
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType!.MediaType);
        Assert.NotEmpty(tooLarge.Headers.GetValues("X-Correlation-Id").Single());
        // The import takes files up to 2 MB: a 1 MB file is read (and refused for what it says, not for its size).
        var csv = "firstName,lastName,loginCode\n" + string.Concat(Enumerable.Repeat("Eva,Berger,eva\n", 70_000));
        var import = await admin.Http.PostAsync(
            admin.Url("users/import?dryRun=true"),
            new StringContent(csv, Encoding.UTF8, "text/csv")
        );
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, import.StatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, import.StatusCode);
    }

    [Fact]
    public async Task Confirmation_mails_are_limited_per_license_and_per_address()
    {
        var admin = await api.CreateTenantAsync();
        var address = $"limit-{Guid.NewGuid():N}@example.com";
        await admin.PostAsync("licenses/purchase", new { count = 20 });
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
        var license = (string)
            (await (await admin.PostAsync("licenses/link", new { userId = user, email = address })).ReadAsync())[
                "licenses"
            ]!
                .AsArray()
                .Single(l => (string?)l!["userId"] == user)!["id"]!;

        // One mail a minute per license: at once again is a 429 saying when.
        var again = await admin.PostAsync($"licenses/{license}/resend", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.True(again.Headers.RetryAfter!.Delta <= TimeSpan.FromMinutes(1));
        for (var i = 0; i < 4; i++)
        {
            api.Clock.Advance(TimeSpan.FromMinutes(1));
            await admin.LogInAsync("admin", TenantClient.AdminPassword);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"licenses/{license}/resend", null)).StatusCode);
        }
        // Five an hour per license.
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        await admin.LogInAsync("admin", TenantClient.AdminPassword);
        Assert.Equal(
            HttpStatusCode.TooManyRequests,
            (await admin.PostAsync($"licenses/{license}/resend", null)).StatusCode
        );

        // Ten an hour per address, whichever licenses they are for.
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var other = (string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
            answers.Add((await admin.PostAsync("licenses/link", new { userId = other, email = address })).StatusCode);
        }
        Assert.Equal(
            [
                HttpStatusCode.OK,
                HttpStatusCode.OK,
                HttpStatusCode.OK,
                HttpStatusCode.OK,
                HttpStatusCode.OK,
                HttpStatusCode.TooManyRequests,
            ],
            answers
        );
    }

    [Fact]
    public async Task The_audit_log_never_shows_a_token_or_its_hash()
    {
        var admin = await api.CreateTenantAsync();
        var address = $"audit-{Guid.NewGuid():N}@example.com";
        await admin.PostAsync("licenses/purchase", new { count = 1 });
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser()))["id"]!;
        await admin.PostAsync("licenses/link", new { userId = user, email = address });
        var token = TokenPattern()
            .Match((string)(await Mailbox.WaitForAsync(address)).Single()["text"]!)
            .Groups[1]
            .Value;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

        var audit = await (await admin.GetAsync("audit?type=license_confirmation_issued")).Content.ReadAsStringAsync();
        Assert.Contains("license_confirmation_issued", audit);
        Assert.DoesNotContain(hash, audit, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, audit);
        Assert.DoesNotContain("TokenHash", audit);
        Assert.DoesNotContain(
            hash,
            await (await admin.GetAsync($"users/{user}/history")).Content.ReadAsStringAsync(),
            StringComparison.OrdinalIgnoreCase
        );
    }

    [Fact]
    public async Task A_failed_statement_is_logged_without_the_values_it_carried()
    {
        var logs = new CapturedLogs();
        // Everything logged, whatever the service's own settings would silence.
        await using var logged = new ApiFactory(
            null,
            new()
            {
                ["Logging:LogLevel:Default"] = "Trace",
                ["Logging:LogLevel:Marten"] = "Trace",
                ["Logging:LogLevel:Marten.IDocumentStore"] = "Trace",
            },
            s => s.AddSingleton<ILoggerProvider>(logs)
        );
        var admin = await logged.CreateTenantAsync();
        await admin.CreateUserAsync(
            new
            {
                firstName = "Eva",
                lastName = "Berger",
                loginCode = "same",
            }
        );
        // Two at once with one login code: the unique index refuses the slower one inside PostgreSQL.
        var racing = await Task.WhenAll(
            Enumerable
                .Range(0, 6)
                .Select(i =>
                    admin.PostAsync(
                        "users",
                        new
                        {
                            firstName = "Secret",
                            lastName = $"Person{(char)('a' + i)}",
                            loginCode = "race",
                            email = $"private.{i}@example.com",
                        }
                    )
                )
        );
        Assert.DoesNotContain(racing, r => (int)r.StatusCode >= 500);
        Assert.Equal(5, racing.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Contains(logs.Lines, l => l.Contains("23505", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l =>
            l.Contains("private.", StringComparison.Ordinal) || l.Contains("Person", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void An_unexpected_database_failure_is_logged_by_its_codes_not_by_what_PostgreSQL_quoted()
    {
        var postgres = new Npgsql.PostgresException(
            "invalid input syntax for type uuid: \"eva.berger@example.com\"",
            "ERROR",
            "ERROR",
            "22P02",
            detail: "Key (email)=(eva.berger@example.com)",
            where: "JSON data, line 1: {\"Email\":\"eva.berger@example.com\"",
            constraintName: "ux_users_email"
        );
        var logged = OrderStream.BuildingBlocks.Errors.LoggedException.Safe(
            new InvalidOperationException("wrapped", postgres)
        );
        Assert.DoesNotContain("eva.berger", logged.ToString());
        Assert.Contains("SQLSTATE 22P02 on ux_users_email", logged.Message);
        Assert.Contains("InvalidOperationException <- PostgresException", logged.Message);
        var plain = new InvalidOperationException("a bug of ours");
        Assert.Same(plain, OrderStream.BuildingBlocks.Errors.LoggedException.Safe(plain));
    }

    [Fact]
    public async Task The_history_of_a_user_who_never_existed_is_a_404()
    {
        var admin = await api.CreateTenantAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"users/{Guid.NewGuid()}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"users/{admin.UserId}/history")).StatusCode);
    }

    [GeneratedRegex("token=([A-Za-z0-9_-]{20,})")]
    private static partial Regex TokenPattern();

    private sealed class CapturedLogs : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        ) => Lines.Enqueue(formatter(state, exception) + " " + exception);

        public void Dispose() { }
    }
}
