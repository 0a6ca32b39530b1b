using System.Net;
using System.Net.Http.Headers;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

/// <summary>
/// Validated tokens are remembered for speed, never past their expiry and never for a token that was altered.
/// </summary>
public sealed class TokenTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_token_works_until_it_expires_even_after_it_was_remembered_and_an_altered_token_never_works()
    {
        var admin = await api.CreateTenantAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("users")).StatusCode); // now answered from memory

        var token = admin.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        var altered = new TenantClient(api.CreateClient(), admin.Tenant);
        altered.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1]
        );
        var refused = await altered.GetAsync("users");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());

        api.Clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));
        var expired = await admin.GetAsync("users");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", expired.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer ")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("Bearer not-a-jwt")]
    public async Task Without_a_valid_bearer_token_the_answer_is_401_with_the_bearer_challenge(string? authorization)
    {
        var admin = await api.CreateTenantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, admin.Url("users"));
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var response = await api.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(
            authorization == "Bearer not-a-jwt",
            response.Headers.WwwAuthenticate.ToString().Contains("invalid_token")
        );
    }
}
