using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderStream.BuildingBlocks.Web;

namespace OrderStream.BuildingBlocks.Security;

/// <summary>Issues the tenant-bound JWTs that the Host validates (web office login now, POS login later).</summary>
public sealed class TokenIssuer(JwtSettings settings, TimeProvider clock)
{
    /// <summary>
    /// How far the clocks of issuer and validator may disagree: a token is good this long past its expiry.
    /// </summary>
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    /// <summary>A token for the <paramref name="channel"/> it was issued at (<see cref="Channels"/>).</summary>
    public (string Token, DateTimeOffset ExpiresAt) Issue(
        Guid userId,
        string tenant,
        string name,
        string channel,
        int generation,
        IEnumerable<Claim>? extra = null
    )
    {
        var now = clock.GetUtcNow();
        var expires = now + settings.Lifetime;
        var claims = new List<Claim>
        {
            new(CurrentUser.UserIdClaim, userId.ToString()),
            new(CurrentUser.TenantClaim, tenant),
            new(CurrentUser.NameClaim, name),
            new(CurrentUser.ChannelClaim, channel),
            // The user's sessions so far: a password change ends those of an earlier generation (issue #23).
            new(CurrentUser.GenerationClaim, generation.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            // Two logins in one second are two sessions, each with an anti-forgery token of its own (ADR 0027).
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
        };
        if (extra is not null)
            claims.AddRange(extra);
        var token = new JsonWebTokenHandler().CreateToken(
            new SecurityTokenDescriptor
            {
                Subject = new ClaimsIdentity(claims),
                Issuer = settings.Issuer,
                Audience = settings.Issuer,
                IssuedAt = now.UtcDateTime,
                NotBefore = now.UtcDateTime,
                Expires = expires.UtcDateTime,
                SigningCredentials = new SigningCredentials(
                    new SymmetricSecurityKey(settings.SigningKey),
                    SecurityAlgorithms.HmacSha256
                ),
            }
        );
        return (token, expires);
    }

    public TokenValidationParameters ValidationParameters() =>
        new()
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Issuer,
            IssuerSigningKey = new SymmetricSecurityKey(settings.SigningKey),
            NameClaimType = CurrentUser.NameClaim,
            // Lifetimes are checked on the injected clock, the same one that issued the token (tests travel in time).
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                return (notBefore is null || notBefore <= now + Skew) && expires is not null && expires > now - Skew;
            },
        };
}
