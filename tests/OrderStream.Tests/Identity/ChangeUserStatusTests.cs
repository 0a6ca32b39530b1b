using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class ChangeUserStatusTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Deactivation_keeps_the_user_and_its_history_and_reactivation_restores_it()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Tom", "Gruber", "tgruber")))["id"]!;

        var deactivated = await admin.PostAsync($"users/{id}/deactivate", new { reason = "left the company" });
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.False((bool)(await deactivated.ReadAsync())["isActive"]!);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"users/{id}/deactivate", null)).StatusCode);

        api.Clock.Advance(TimeSpan.FromDays(3));
        await admin.LogInAsync("admin", TenantClient.AdminPassword); // the token of three days ago has expired
        var reactivated = await (
            await admin.PostAsync($"users/{id}/reactivate", new { reason = "came back" })
        ).ReadAsync();
        Assert.True((bool)reactivated["isActive"]!);
        var history = reactivated["statusHistory"]!.AsArray();
        Assert.Equal([true, false, true], history.Select(h => (bool)h!["active"]!));
        Assert.Equal("left the company", (string)history[1]!["reason"]!);
        Assert.Equal(admin.UserId, (string)history[1]!["by"]!);
        Assert.Equal(
            TimeSpan.FromDays(3),
            DateTimeOffset.Parse((string)history[2]!["at"]!) - DateTimeOffset.Parse((string)history[1]!["at"]!)
        );
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"users/{id}/reactivate", null)).StatusCode);

        var tooLong = await admin.PostAsync($"users/{id}/deactivate", new { reason = new string('x', 501) });
        Assert.Equal(["reason"], (await tooLong.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Nobody_deactivates_themselves_and_the_last_active_system_administrator_keeps_the_flag()
    {
        var admin = await api.CreateTenantAsync();
        var self = await admin.PostAsync($"users/{admin.UserId}/deactivate", null);
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Contains("yourself", (string)(await self.ReadAsync())["detail"]!);
        // The console shows the refusal beside the switch it names.
        Assert.Equal(["isActive"], (await self.ErrorsAsync()).Keys);

        var clear = await admin.PutAsync($"users/{admin.UserId}/system-administrator", new { value = false });
        Assert.Equal(HttpStatusCode.Conflict, clear.StatusCode);
        Assert.Contains("last active System Administrator", (string)(await clear.ReadAsync())["detail"]!);
        Assert.Equal(["isSystemAdministrator"], (await clear.ErrorsAsync()).Keys);

        var second = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Sys", "Two", "sys2", password: "second-admin-pw")))[
                "id"
            ]!;
        var made = await admin.PutAsync($"users/{second}/system-administrator", new { value = true });
        Assert.True((bool)(await made.ReadAsync())["isSystemAdministrator"]!);
        Assert.Equal(
            ["value"],
            (await (await admin.PutAsync($"users/{second}/system-administrator", new { })).ErrorsAsync()).Keys
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync($"users/{admin.UserId}/system-administrator", new { value = false })).StatusCode
        );

        // The flag is a privilege tier, not a set of rights: the Administrator role still opens the user module...
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("users")).StatusCode);
        // ...but what is limited to System Administrators is no longer theirs to give.
        var refused = await admin.PutAsync($"users/{second}/grants/randomise-all-names", new { });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("System Administrator", (string)(await refused.ReadAsync())["detail"]!);
    }
}
