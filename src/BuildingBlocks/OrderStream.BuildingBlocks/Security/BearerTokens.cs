using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrderStream.BuildingBlocks.Security;

/// <summary>
/// The bearer scheme (ADR 0011). Services send the same token tens of thousands of times a second: a token that
/// validated (signature, issuer, audience, lifetime) is remembered, keyed by its full text, and answered from memory
/// until it expires on the injected clock (with the validator's 30 s of skew). A remembered token costs one lookup by
/// the header's own characters: no copy of the token, no new principal or ticket. An altered token is another key and
/// is validated (and refused) in full. Bounded: when full, it starts over.
/// </summary>
public sealed class BearerTokens(TokenIssuer issuer, TimeProvider clock)
{
    public const string Scheme = "Bearer";
    private const int Capacity = 50_000;
    private readonly ConcurrentDictionary<string, (Task<AuthenticateResult> Result, DateTime ValidTo)> _validated = new(
        StringComparer.Ordinal
    );
    private readonly TokenValidationParameters _parameters = issuer.ValidationParameters();
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>
    /// The result for a remembered, unexpired token (as a finished task, shared too); null when it must be validated.
    /// </summary>
    public Task<AuthenticateResult>? Remembered(ReadOnlySpan<char> token)
    {
        var known = _validated.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!known.TryGetValue(token, out var entry))
            return null;
        if (entry.ValidTo > clock.GetUtcNow().UtcDateTime - TokenIssuer.Skew)
            return entry.Result;
        known.TryRemove(token, out _);
        return null;
    }

    public async Task<AuthenticateResult> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
            return AuthenticateResult.Fail(result.Exception ?? new SecurityTokenException("The token is not valid."));
        // Shared by every request with this token: nothing in the service writes to a ticket or its principal.
        var success = AuthenticateResult.Success(
            new AuthenticationTicket(new ClaimsPrincipal(result.ClaimsIdentity), Scheme)
        );
        if (_validated.Count >= Capacity)
            _validated.Clear();
        _validated[token] = (Task.FromResult(success), result.SecurityToken.ValidTo);
        return success;
    }
}

/// <summary>
/// Reads <c>Authorization: Bearer</c>, or else the console's session cookie; a 401 says
/// <c>WWW-Authenticate: Bearer</c> (RFC 6750), with <c>invalid_token</c> when one was refused.
/// </summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    BearerTokens tokens
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private static readonly Task<AuthenticateResult> NoToken = Task.FromResult(AuthenticateResult.NoResult());

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The header's own string when it has one value: nothing is copied until a token must be validated.
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return FromSessionCookie();
        var token = header.AsSpan(7).Trim();
        if (token.IsEmpty)
            return NoToken;
        return tokens.Remembered(token) ?? tokens.ValidateAsync(token.ToString());
    }

    // The console's session (ADR 0027): the same token, kept in a cookie; its writes need the anti-forgery header.
    private Task<AuthenticateResult> FromSessionCookie()
    {
        var token = Request.Cookies[SessionCookie.Name];
        if (string.IsNullOrEmpty(token))
            return NoToken;
        Context.Items[SessionCookie.FromCookie] = true;
        return tokens.Remembered(token) ?? tokens.ValidateAsync(token);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refused = (await HandleAuthenticateOnceSafeAsync()).Failure is not null;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = refused ? "Bearer error=\"invalid_token\"" : BearerTokens.Scheme;
    }
}
