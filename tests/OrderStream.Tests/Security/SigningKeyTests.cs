using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using OrderStream.BuildingBlocks.Security;
using Xunit;

namespace OrderStream.Tests.Security;

/// <summary>
/// Issue #18, item 2: the development key is in the repository, so a token it signs is a forgery anyone can make. It
/// may sign tokens only in Development on a service nobody else can reach (loopback); anywhere else the service refuses
/// to start without a key of its own.
/// </summary>
public sealed class SigningKeyTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value))
            .Build();

    private static string Refusal(IConfiguration configuration, string environment) =>
        Assert
            .Throws<InvalidOperationException>(() => JwtSettings.From(configuration, new Environment(environment)))
            .Message;

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Test")]
    public void Every_environment_but_Development_needs_a_key_of_its_own(string environment)
    {
        Assert.Contains("Jwt:SigningKey", Refusal(Settings(), environment));
        Assert.Contains("Jwt:SigningKey", Refusal(Settings(("urls", "http://localhost:5080")), environment));
        Assert.Contains("32", Refusal(Settings(("Jwt:SigningKey", "too-short")), environment));
        var key = new string('k', 40);
        Assert.Equal(
            key.Length,
            JwtSettings.From(Settings(("Jwt:SigningKey", key)), new Environment(environment)).SigningKey.Length
        );
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://192.168.1.20:5080")]
    [InlineData("http://localhost:5080;http://0.0.0.0:5081")]
    public void Development_listening_beyond_loopback_needs_a_key_too(string urls)
    {
        Assert.Contains("loopback", Refusal(Settings(("urls", urls)), "Development"));
        Assert.Contains("loopback", Refusal(Settings(("Kestrel:Endpoints:Web:Url", urls)), "Development"));
    }

    [Fact]
    public void Development_on_ports_of_every_interface_needs_a_key()
    {
        Assert.Contains("loopback", Refusal(Settings(("http_ports", "8080")), "Development"));
        Assert.Contains("loopback", Refusal(Settings(("https_ports", "8443")), "Development"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://localhost:5080")]
    [InlineData("http://127.0.0.1:5080;http://[::1]:5081")]
    public void Development_on_loopback_alone_may_use_the_development_key(string? urls)
    {
        var settings = urls is null ? Settings() : Settings(("urls", urls));
        Assert.True(JwtSettings.From(settings, new Environment("Development")).SigningKey.Length >= 32);
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "OrderStream";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
