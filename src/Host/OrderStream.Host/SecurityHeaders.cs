using Scalar.AspNetCore;

namespace OrderStream.Host;

/// <summary>
/// Headers every answer carries (issue #18): <c>nosniff</c> everywhere; <c>no-store</c> on the API, whose answers are
/// personal or security data; on HTML pages a content security policy (scripts of this origin and the page's nonce
/// only) and no framing.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        // When the answer starts: an exception handler clears the headers set before it ran.
        http.Response.OnStarting(static state => Apply((HttpContext)state), http);
        return next(http);
    }

    private static Task Apply(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (http.Request.Path.StartsWithSegments("/api"))
            headers.CacheControl = "no-store";
        if (http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) != true)
            return Task.CompletedTask;
        var nonce = http.Items[ScalarOptions.NonceHttpContextItemKey] is string n ? $" 'nonce-{n}'" : "";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; "
            + "frame-ancestors 'none'";
        return Task.CompletedTask;
    }
}
