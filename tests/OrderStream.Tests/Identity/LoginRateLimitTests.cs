using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OrderStream.BuildingBlocks.Security;
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
            answers.Add((await admin.Http.PostAsJsonAsync(admin.Url("auth/login"), new { loginCode = login, password = "whatever-123" })).StatusCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public void Production_refuses_to_start_without_a_signing_key_and_development_has_a_default()
    {
        var empty = new ConfigurationBuilder().Build();
        var production = new Environment(Environments.Production);
        Assert.Throws<InvalidOperationException>(() => JwtSettings.From(empty, production));
        Assert.Throws<InvalidOperationException>(() => JwtSettings.From(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Jwt:SigningKey"] = "too-short" }).Build(), production));
        Assert.True(JwtSettings.From(empty, new Environment(Environments.Development)).SigningKey.Length >= 32);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "OrderStream";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
