using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;

namespace OrderStream.BuildingBlocks.Security;

/// <summary>
/// The admin console's session (ADR 0027): the web office token of a login, kept in a cookie that script cannot read,
/// and an anti-forgery token bound to it (an HMAC of the token under the signing key, so every instance can check it)
/// that the console sends in <see cref="AntiforgeryHeader"/> with every write.
/// </summary>
public sealed class SessionCookie(JwtSettings settings, IHostEnvironment environment)
{
    public const string Name = "orderstream-session";
    public const string AntiforgeryHeader = "X-CSRF-Token";

    /// <summary>Marks a request whose caller came in by the cookie (<see cref="BearerTokenHandler"/>).</summary>
    internal static readonly object FromCookie = new();

    private readonly byte[] _key = SHA256.HashData([.. "session-antiforgery:"u8, .. settings.SigningKey]);

    public string AntiforgeryToken(string sessionToken) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(sessionToken)));

    public void Append(HttpResponse response, string token, DateTimeOffset expiresAt) =>
        response.Cookies.Append(Name, token, Options(response.HttpContext.Request, expiresAt));

    public void Delete(HttpResponse response) =>
        response.Cookies.Delete(Name, Options(response.HttpContext.Request, DateTimeOffset.UnixEpoch));

    /// <summary>
    /// Whether a write may go ahead: a caller that came in by the cookie must send the anti-forgery token of it.
    /// </summary>
    public bool MayWrite(HttpContext http)
    {
        if (!http.Items.ContainsKey(FromCookie) || HttpMethods.IsGet(http.Request.Method))
            return true;
        if (HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
            return true;
        // Signing in again over an old cookie: the login needs no session, and its JSON body no form can send.
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            return true;
        var sent = http.Request.Headers[AntiforgeryHeader].ToString();
        var expected = AntiforgeryToken(http.Request.Cookies[Name] ?? "");
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));
    }

    // Secure outside Development (where the console is served over plain http on localhost) and over https anywhere.
    private CookieOptions Options(HttpRequest request, DateTimeOffset expiresAt) =>
        new()
        {
            HttpOnly = true,
            Secure = request.IsHttps || !environment.IsDevelopment(),
            SameSite = SameSiteMode.Strict,
            Path = "/",
            Expires = expiresAt,
            IsEssential = true,
        };
}

/// <summary>Refuses a write that came in by the session cookie without its anti-forgery token (403).</summary>
public sealed class SessionAntiforgery(RequestDelegate next, SessionCookie cookie)
{
    public async Task InvokeAsync(HttpContext http, IProblemDetailsService problems)
    {
        if (cookie.MayWrite(http))
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = 403,
                    Title = "Forbidden",
                    Detail =
                        $"A change made with the session cookie needs its {SessionCookie.AntiforgeryHeader} header.",
                },
            }
        );
    }
}
