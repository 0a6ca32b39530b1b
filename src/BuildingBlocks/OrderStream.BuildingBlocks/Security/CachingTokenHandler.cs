using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrderStream.BuildingBlocks.Security;

/// <summary>
/// Validating a JWT (parsing, HMAC, claims) costs more than the decision it guards, and services send the same token again
/// and again. A token that validated is remembered, keyed by its full text (any change to it is another key), and answered
/// from memory until it expires on the injected clock, with the same 30 s of skew as the validator. Bounded: when full,
/// it starts over.
/// </summary>
public sealed class CachingTokenHandler(TimeProvider clock) : JsonWebTokenHandler
{
    private const int Capacity = 50_000;
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTime ValidTo)> _validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_validated.TryGetValue(token, out var known))
        {
            if (known.ValidTo > now - Skew) return known.Result;
            _validated.TryRemove(token, out _);
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } validated)
        {
            if (_validated.Count >= Capacity) _validated.Clear();
            _validated[token] = (result, validated.ValidTo);
        }
        return result;
    }
}
