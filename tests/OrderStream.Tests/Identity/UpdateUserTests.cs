using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class UpdateUserTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Put_with_a_current_if_match_updates_and_a_stale_one_is_412()
    {
        var admin = await api.CreateTenantAsync();
        var user = await admin.CreateUserAsync(TenantClient.NewUser("Eva", "Berger", "eberger"));
        var id = (string)user["id"]!;
        var etag = (await admin.GetAsync($"users/{id}")).Headers.ETag!.Tag;

        var renamed = await admin.PutAsync(
            $"users/{id}",
            new
            {
                firstName = "Eva",
                lastName = "Berger-Maier",
                loginCode = "eberger",
            },
            etag
        );
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.NotEqual(etag, renamed.Headers.ETag!.Tag);
        Assert.Equal("Berger-Maier", (string)(await renamed.ReadAsync())["lastName"]!);

        var stale = await admin.PutAsync(
            $"users/{id}",
            new
            {
                firstName = "Eve",
                lastName = "Berger",
                loginCode = "eberger",
            },
            etag
        );
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("Berger-Maier", (string)(await (await admin.GetAsync($"users/{id}")).ReadAsync())["lastName"]!);

        var garbage = await admin.PutAsync(
            $"users/{id}",
            new
            {
                firstName = "Eve",
                lastName = "Berger",
                loginCode = "eberger",
            },
            "yesterday"
        );
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(
            HttpStatusCode.NotFound,
            (
                await admin.PutAsync(
                    $"users/{Guid.NewGuid()}",
                    new
                    {
                        firstName = "Eve",
                        lastName = "Berger",
                        loginCode = "x1",
                    }
                )
            ).StatusCode
        );
    }

    [Fact]
    public async Task Concurrent_puts_without_if_match_never_lose_a_change_silently()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Eva", "Berger", "eberger")))["id"]!;
        var responses = await Task.WhenAll(
            Enumerable
                .Range(0, 8)
                .Select(i =>
                    admin.PutAsync(
                        $"users/{id}",
                        new
                        {
                            firstName = "Eva",
                            lastName = $"Name{(char)('a' + i)}",
                            loginCode = "eberger",
                        }
                    )
                )
        );
        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.All(codes, c => Assert.True(c is HttpStatusCode.OK or HttpStatusCode.Conflict, $"unexpected {c}"));
        // Every accepted rename is in the history: none was overwritten without the writer being told.
        var renames = await admin.GetAsync($"audit?subject={id}&type=user_renamed&pageSize=50");
        Assert.Equal(codes.Count(c => c == HttpStatusCode.OK), (long)(await renames.ReadAsync())["total"]!);
    }

    /// <summary>
    /// Issue #22: writers racing with the same If-Match pass the check at once; the losers, found stale only at
    /// commit, answered 409 although the README promises 412 for a stale If-Match.
    /// </summary>
    [Fact]
    public async Task Concurrent_puts_with_one_if_match_let_one_win_and_answer_412_to_every_other()
    {
        var admin = await api.CreateTenantAsync();
        var id = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Eva", "Berger", "eberger")))["id"]!;
        var etag = (await admin.GetAsync($"users/{id}")).Headers.ETag!.Tag;
        var responses = await Task.WhenAll(
            Enumerable
                .Range(0, 12)
                .Select(i =>
                    admin.PutAsync(
                        $"users/{id}",
                        new
                        {
                            firstName = "Eva",
                            lastName = $"Name{(char)('a' + i)}",
                            loginCode = "eberger",
                        },
                        etag
                    )
                )
        );
        var codes = responses.Select(r => r.StatusCode).ToList();
        Assert.Equal(1, codes.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(11, codes.Count(c => c == HttpStatusCode.PreconditionFailed));
    }
}
