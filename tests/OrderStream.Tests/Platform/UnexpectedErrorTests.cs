using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Web;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

public sealed class UnexpectedErrorTests
{
    private sealed class BrokenDecider : IFeatureDecider
    {
        public Task<bool> HoldsAnyAsync(CurrentUser user, IReadOnlyList<string> features, CancellationToken ct) =>
            throw new InvalidOperationException("connection string Password=hunter2 leaked");

        public Task<TokenStanding> StandingAsync(CurrentUser user, CancellationToken ct) =>
            Task.FromResult(TokenStanding.Good);
    }

    [Fact]
    public async Task An_unexpected_failure_is_a_500_problem_with_the_correlation_id_and_no_internals()
    {
        await using var api = new ApiFactory(null, null, s => s.AddScoped<IFeatureDecider, BrokenDecider>());
        var admin = await api.CreateTenantAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, admin.Url("users"));
        request.Headers.Add("X-Correlation-Id", "trace-500");
        var response = await admin.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"correlationId\":\"trace-500\"", body);
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain(" at ", body);
    }
}
