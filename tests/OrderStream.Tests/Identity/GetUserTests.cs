using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

public sealed class GetUserTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Unknown_user_is_404_and_a_malformed_id_is_404_too()
    {
        var admin = await api.CreateTenantAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"users/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("users/not-an-id")).StatusCode);
    }
}
