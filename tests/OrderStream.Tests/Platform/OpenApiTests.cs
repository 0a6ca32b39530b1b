using Newtonsoft.Json.Linq;
using OrderStream.Tests.TestKit;
using Snapshooter.Xunit;
using Xunit;

namespace OrderStream.Tests.Platform;

public sealed class OpenApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_openapi_document_matches_its_snapshot()
    {
        var json = await api.CreateClient().GetStringAsync("/openapi/v1.json");
        Snapshot.Match(JToken.Parse(json));
    }

    [Fact]
    public async Task The_interactive_reference_is_served()
    {
        var response = await api.CreateClient().GetAsync("/scalar");
        Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode is 301 or 302, $"{response.StatusCode}");
    }
}
