using System.Net;
using System.Net.Http.Json;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class LoginRateLimitTests
{
    [Fact]
    public async Task Login_attempts_from_one_address_are_rate_limited_across_login_codes()
    {
        await using var api = new ApiFactory(null, new() { ["RateLimiting:LoginPermitsPerMinute"] = "3" });
        var admin = await api.CreateTenantAsync(); // one permit used by the admin's login
        var answers = new List<HttpStatusCode>();
        foreach (var login in new[] { "guess1", "guess2", "guess3" })
            answers.Add(
                (
                    await admin.Http.PostAsJsonAsync(
                        admin.Url("auth/login"),
                        new { loginCode = login, password = "whatever-123" }
                    )
                ).StatusCode
            );
        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests],
            answers
        );
    }
}
