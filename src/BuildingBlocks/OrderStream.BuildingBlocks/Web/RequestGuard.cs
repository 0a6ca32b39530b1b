using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace OrderStream.BuildingBlocks.Web;

/// <summary>
/// Refuses, before any endpoint runs, what a client may send but nothing here can store or read (issue #18): a NUL
/// character in a query value (PostgreSQL text cannot hold one; Kestrel refuses one in the path) is a 400 naming the
/// parameter; a body in a charset .NET does not know is a 415.
/// </summary>
public sealed class RequestGuard(RequestDelegate next, IProblemDetailsService problems)
{
    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.QueryString.HasValue)
            foreach (var (name, values) in request.Query)
                if (name.Contains('\0') || values.Any(v => v?.Contains('\0') == true))
                    return Refuse(http, name.Replace("\0", ""), "The value must not contain a NUL character.");
        if (
            request.ContentType is { } type
            && MediaTypeHeaderValue.TryParse(type, out var media)
            && media.Charset.HasValue
            && !Known(media.Charset.Value!)
        )
            return Unsupported(http, $"The charset '{media.Charset.Value}' is not one this service reads: send UTF-8.");
        return next(http);
    }

    private static bool Known(string charset)
    {
        try
        {
            _ = Encoding.GetEncoding(charset.Trim('"'));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private Task Refuse(HttpContext http, string field, string message)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        return problems
            .WriteAsync(
                new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new HttpValidationProblemDetails(
                        new Dictionary<string, string[]> { [field] = [message] }
                    )
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "Validation failed",
                        Detail = $"One or more fields are not valid: {field}.",
                    },
                }
            )
            .AsTask();
    }

    private Task Unsupported(HttpContext http, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        return problems
            .WriteAsync(
                new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status415UnsupportedMediaType,
                        Title = "Unsupported media type",
                        Detail = detail,
                    },
                }
            )
            .AsTask();
    }
}

/// <summary>
/// Instants in bodies: any offset is accepted and read as the same instant in UTC, the only offset stored.
/// </summary>
public sealed class UtcInstantConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}

/// <summary>
/// Instants in routes and queries (<c>asOf</c>, <c>from</c>): turned to UTC before the endpoint runs, as bodies' are.
/// Only endpoints with such a parameter get the filter.
/// </summary>
public static class UtcInstants
{
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var positions = context
            .MethodInfo.GetParameters()
            .Select((p, i) => (p.ParameterType, i))
            .Where(p => p.ParameterType == typeof(DateTimeOffset) || p.ParameterType == typeof(DateTimeOffset?))
            .Select(p => p.i)
            .ToArray();
        if (positions.Length == 0)
            return next;
        return invocation =>
        {
            foreach (var i in positions)
                if (invocation.Arguments[i] is DateTimeOffset instant)
                    invocation.Arguments[i] = instant.ToUniversalTime();
            return next(invocation);
        };
    }
}

/// <summary>
/// The <c>guid</c> route constraint without the all-zero id, which names nothing: such a route is a 404.
/// </summary>
public sealed class NonEmptyGuidRouteConstraint : IRouteConstraint
{
    public bool Match(
        HttpContext? httpContext,
        IRouter? route,
        string routeKey,
        RouteValueDictionary values,
        RouteDirection routeDirection
    ) =>
        values.TryGetValue(routeKey, out var value)
        && value switch
        {
            Guid id => id != Guid.Empty,
            string text => Guid.TryParse(text, out var id) && id != Guid.Empty,
            _ => false,
        };
}

/// <summary>
/// Endpoint metadata: the largest body the endpoint takes. Every other endpoint takes <see cref="Default"/> (Kestrel's
/// limit, set by the host), which is far above any JSON body it reads and far below Kestrel's own 30 MB.
/// </summary>
public sealed record BodyLimit(long? MaxRequestBodySize) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
{
    public const long Default = 256 * 1024;
}

public static class BodyLimits
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new BodyLimit(bytes));
}
