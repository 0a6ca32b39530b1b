using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OrderStream.BuildingBlocks.Security;

/// <summary>Token settings from configuration (<c>Jwt:SigningKey</c>, <c>Jwt:Issuer</c>, <c>Jwt:LifetimeMinutes</c>).</summary>
public sealed record JwtSettings(byte[] SigningKey, string Issuer, TimeSpan Lifetime)
{
    // Only for development and tests; Production refuses to start without a configured key.
    private const string DevelopmentKey = "orderstream-development-signing-key-not-for-production-use-0123456789";

    public static JwtSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var key = configuration["Jwt:SigningKey"];
        if (string.IsNullOrWhiteSpace(key))
        {
            if (environment.IsProduction())
                throw new InvalidOperationException("Jwt:SigningKey must be configured in Production (at least 32 characters).");
            key = DevelopmentKey;
        }
        if (key.Length < 32) throw new InvalidOperationException("Jwt:SigningKey must be at least 32 characters.");
        var minutes = int.TryParse(configuration["Jwt:LifetimeMinutes"], out var m) ? m : 480;
        return new JwtSettings(Encoding.UTF8.GetBytes(key), configuration["Jwt:Issuer"] ?? "orderstream", TimeSpan.FromMinutes(minutes));
    }
}
