using System.Net;
using System.Net.Http.Headers;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

/// <summary>Validated tokens are remembered for speed, never past their expiry and never for a token that was altered.</summary>
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
        altered.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await altered.GetAsync("users")).StatusCode);

        api.Clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("users")).StatusCode);
    }
}
