using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderStream.BuildingBlocks.Errors;

namespace OrderStream.BuildingBlocks.Web;

/// <summary>Versions travel as weak-free ETags: <c>"7"</c> is version 7 of the resource's event stream.</summary>
public static class ETags
{
    public static string Of(long version) => $"\"{version}\"";

    /// <summary>
    /// The version the client expects, from If-Match; null when the header is absent (the write is still checked at
    /// commit).
    /// </summary>
    public static long? ExpectedVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
            return null;
        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
            value = value[2..];
        return long.TryParse(value.Trim('"'), out var version) && version >= 0
            ? version
            : throw new FieldRuleException("If-Match", "If-Match must be an ETag this API returned, such as \"3\".");
    }

    public static IResult WithETag(this HttpContext http, long version, object body)
    {
        http.Response.Headers.ETag = Of(version);
        return Results.Ok(body);
    }
}

/// <summary>Endpoint metadata for the OpenAPI document: the answer carries the resource's <c>ETag</c>.</summary>
public sealed record AnswersWithETag;

/// <summary>Endpoint metadata for the OpenAPI document: the write takes <c>If-Match</c> (412 when stale).</summary>
public sealed record AcceptsIfMatch;

public static class ETagMetadata
{
    public static TBuilder AnswersWithETag<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AnswersWithETag());

    public static TBuilder TakesIfMatch<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new AcceptsIfMatch());
}

/// <summary>The shape of every list answer.</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize);

public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>
    /// Far past any real list, and low enough that page × page size never overflows (it once was a 500).
    /// </summary>
    public const int MaxPage = 1_000_000;
}
