using Microsoft.AspNetCore.Http;

namespace OrderStream.BuildingBlocks.Web;

/// <summary>
/// The correlation id every answer carries (issue #19): the client's own when it is up to 64 letters, digits and
/// <c>-_.</c> (anything else could forge log lines), else the request's trace id. It runs first, so refusals made
/// before any endpoint carry it too; the exception handler writes it again after clearing the headers.
/// </summary>
public sealed class Correlation(RequestDelegate next)
{
    public const string Header = "X-Correlation-Id";

    public Task InvokeAsync(HttpContext http)
    {
        var offered = http.Request.Headers[Header].ToString();
        if (offered.Length is > 0 and <= 64 && offered.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            http.TraceIdentifier = offered;
        http.Response.Headers[Header] = http.TraceIdentifier;
        return next(http);
    }
}
