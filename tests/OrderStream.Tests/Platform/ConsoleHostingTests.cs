using System.Net;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

/// <summary>The admin console is served at / beside the API, which keeps its own answers (ADR 0027).</summary>
public sealed class ConsoleHostingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/demo/sign-in")]
    [InlineData("/demo/users")]
    public async Task Every_page_of_the_console_is_its_page_with_a_policy_that_lets_webassembly_run(string path)
    {
        var response = await api.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("_framework/blazor.webassembly.js", page);
        // A placeholder left for a build step is what a published service would serve as it is.
        Assert.DoesNotContain("#[", page);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self' 'wasm-unsafe-eval'", policy);
        Assert.DoesNotContain("unsafe-eval'", policy.Replace("'wasm-unsafe-eval'", ""));
        Assert.Contains("frame-ancestors 'none'", policy);
    }

    [Theory]
    [InlineData("/api/no/such/route")]
    [InlineData("/api")]
    [InlineData("/health/nothing")]
    public async Task Addresses_of_the_api_that_do_not_exist_stay_404(string path)
    {
        var response = await api.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
