using System.Net;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

public sealed class AuditTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_audit_log_lists_the_tenants_events_newest_first_with_who_when_what_and_filters()
    {
        var admin = await api.CreateTenantAsync();
        var start = api.Clock.GetUtcNow();
        var id = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Audit", "Me", "auditme")))["id"]!;
        await admin.PostAsync($"users/{id}/deactivate", new { reason = "audit test" });

        var all = await (await admin.GetAsync("audit?pageSize=200")).ReadAsync();
        var sequences = all["items"]!.AsArray().Select(e => (long)e!["sequence"]!).ToList();
        Assert.Equal(sequences.OrderDescending(), sequences);
        Assert.Contains(all["items"]!.AsArray(), e => (string)e!["type"]! == "tenant_created");
        Assert.DoesNotContain(all["items"]!.AsArray(), e => (string)e!["type"]! == "tombstone");

        // The subject's story includes what other modules recorded about it (Billing's account), once delivered.
        await api.WaitForDeliveryAsync();
        var mine = await (await admin.GetAsync($"audit?subject={id}")).ReadAsync();
        Assert.Equal(
            ["user_deactivated", "user_registered"],
            mine["items"]!
                .AsArray()
                .Select(e => (string)e!["type"]!)
                .Where(t => t.StartsWith("user_", StringComparison.Ordinal))
        );
        Assert.Contains(mine["items"]!.AsArray(), e => (string)e!["type"]! == "account_opened");
        var deactivation = mine["items"]!.AsArray().First(e => (string)e!["type"]! == "user_deactivated")!;
        Assert.Equal(admin.UserId, (string)deactivation["actor"]!);
        Assert.Equal("audit test", (string)deactivation["data"]!["Reason"]!);
        Assert.False(string.IsNullOrEmpty((string?)deactivation["correlationId"]));

        var byType = await (await admin.GetAsync("audit?type=user_deactivated")).ReadAsync();
        Assert.Equal(1, (long)byType["total"]!);
        var byActor = await (await admin.GetAsync($"audit?actor={admin.UserId}")).ReadAsync();
        Assert.Equal(2, (long)byActor["total"]!);
        var future = Uri.EscapeDataString(start.AddDays(1).ToString("O"));
        Assert.Equal(0, (long)(await (await admin.GetAsync($"audit?from={future}")).ReadAsync())["total"]!);
        var paged = await (await admin.GetAsync("audit?pageSize=1&page=2")).ReadAsync();
        Assert.Single(paged["items"]!.AsArray());
    }

    [Fact]
    public async Task Credentials_never_appear_in_the_audit_log()
    {
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(
            new
            {
                firstName = "Sec",
                lastName = "Ret",
                loginCode = "secret",
                password = "super-secret-password",
                pin = "73915286",
            }
        );
        var body = await (await admin.GetAsync("audit?pageSize=200")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("super-secret-password", body);
        Assert.DoesNotContain("pbkdf2", body);
        // Eight digits: a four-digit PIN turns up by chance inside ids and timestamps.
        Assert.DoesNotContain("73915286", body);
    }

    [Fact]
    public async Task Bad_audit_filters_are_400s_naming_the_parameter()
    {
        var admin = await api.CreateTenantAsync();
        Assert.Equal(["subject"], (await (await admin.GetAsync("audit?subject=nope")).ErrorsAsync()).Keys);
        Assert.Equal(["pageSize"], (await (await admin.GetAsync("audit?pageSize=0")).ErrorsAsync()).Keys);
        // A page so far out that page × size would overflow is refused, not a 500 (found by probing).
        Assert.Equal(["page"], (await (await admin.GetAsync("audit?page=50000000")).ErrorsAsync()).Keys);
        Assert.Equal(["page"], (await (await admin.GetAsync("users?page=50000000")).ErrorsAsync()).Keys);
        Assert.Equal(
            ["page"],
            (await (await admin.GetAsync($"users?page=50000000&salePointId={Guid.NewGuid()}")).ErrorsAsync()).Keys
        );
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("audit?from=yesterday")).StatusCode);
        Assert.Equal(
            ["to"],
            (await (await admin.GetAsync("audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")).ErrorsAsync()).Keys
        );
    }
}
