using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OrderStream.BuildingBlocks.Security;

/// <summary>
/// Token settings from configuration (<c>Jwt:SigningKey</c>, <c>Jwt:Issuer</c>, <c>Jwt:LifetimeMinutes</c>).
/// </summary>
public sealed record JwtSettings(byte[] SigningKey, string Issuer, TimeSpan Lifetime)
{
    // Public (it is in the repository): a token it signs is a forgery anyone can make, so only a developer's own
    // machine, unreachable from elsewhere, may use it.
    private const string DevelopmentKey = "orderstream-development-signing-key-not-for-production-use-0123456789";

    public static JwtSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var key = configuration["Jwt:SigningKey"];
        if (string.IsNullOrWhiteSpace(key))
        {
            if (!environment.IsDevelopment())
                throw new InvalidOperationException(
                    $"Jwt:SigningKey must be configured (at least 32 characters) in the {environment.EnvironmentName} "
                        + $"environment."
                );
            if (!ListensOnLoopbackOnly(configuration))
                throw new InvalidOperationException(
                    "Jwt:SigningKey must be configured (at least 32 characters) when the service "
                        + "listens beyond loopback: the development key is public."
                );
            key = DevelopmentKey;
        }
        if (key.Length < 32)
            throw new InvalidOperationException("Jwt:SigningKey must be at least 32 characters.");
        var minutes = int.TryParse(configuration["Jwt:LifetimeMinutes"], out var m) ? m : 480;
        return new JwtSettings(
            Encoding.UTF8.GetBytes(key),
            configuration["Jwt:Issuer"] ?? "orderstream",
            TimeSpan.FromMinutes(minutes)
        );
    }

    /// <summary>
    /// Whether every address the service will listen on (<c>urls</c>, Kestrel endpoints, or ASP.NET Core's default
    /// <c>localhost:5000</c>) is a loopback one. Ports without a host (<c>http_ports</c>) listen on every interface.
    /// </summary>
    private static bool ListensOnLoopbackOnly(IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(configuration["http_ports"]) || !string.IsNullOrEmpty(configuration["https_ports"]))
            return false;
        var urls = configuration
            .GetSection("Kestrel:Endpoints")
            .GetChildren()
            .Select(e => e["Url"])
            .Append(configuration["urls"]);
        return urls.OfType<string>()
            .SelectMany(u => u.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .All(IsLoopback);
    }

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards (*, +) are not valid URI hosts: read the host by hand.
        var rest = url.Contains("://", StringComparison.Ordinal)
            ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..]
            : url;
        var host = rest.StartsWith('[') ? rest[1..Math.Max(1, rest.IndexOf(']'))] : rest.Split(':', '/')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
