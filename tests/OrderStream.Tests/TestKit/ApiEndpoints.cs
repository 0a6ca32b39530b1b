using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Web;

namespace OrderStream.Tests.TestKit;

/// <summary>
/// One endpoint of the tenant API as the running service maps it: its route, the secure features it requires (null:
/// none named), whether it is anonymous, and whether a POS token may call it.
/// </summary>
public sealed partial record ApiEndpoint(
    string Method,
    string Pattern,
    string Name,
    IReadOnlyList<string>? Features,
    bool Anonymous,
    bool AcceptsPosTokens
)
{
    /// <summary>
    /// The path for a tenant, each route value filled in by <paramref name="value"/> (parameter name, constraint).
    /// </summary>
    public string Path(string tenant, Func<string, string?, string> value) =>
        Parameter()
            .Replace(Pattern, m =>
                m.Groups["name"].Value == "tenant"
                    ? tenant
                    : value(
                        m.Groups["name"].Value,
                        m.Groups["constraint"].Success ? m.Groups["constraint"].Value : null
                    )
            );

    /// <summary>Route values that match any route: a fresh id for guids, a plausible word otherwise.</summary>
    public string AnyPath(string tenant) => Path(tenant, (name, constraint) => constraint == "guid"
                ? Guid.NewGuid().ToString()
            : name == "month" ? "2026-01"
            : "x");

    public override string ToString() => $"{Method} {Pattern}";

    [GeneratedRegex(@"\{(?<name>[a-zA-Z]+)(:(?<constraint>[a-z]+))?\}")]
    private static partial Regex Parameter();
}

public static class ApiEndpoints
{
    private const string Prefix = "/api/tenants/{tenant}/";

    /// <summary>Every endpoint under <c>/api/tenants/{tenant}/</c>, one per method and route.</summary>
    public static IReadOnlyList<ApiEndpoint> Of(ApiFactory api) =>
        [
            .. api
                .Services.GetRequiredService<EndpointDataSource>()
                .Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText?.StartsWith(Prefix, StringComparison.Ordinal) == true)
                .SelectMany(e =>
                    (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(
                        method => new ApiEndpoint(
                            method,
                            e.RoutePattern.RawText!,
                            e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.DisplayName ?? "",
                            e.Metadata.GetMetadata<RequiredFeatures>()?.Codes,
                            e.Metadata.GetMetadata<IAllowAnonymous>() is not null,
                            e.Metadata.GetMetadata<PosTokensAccepted>() is not null
                        )
                    )
                )
                .OrderBy(e => e.Pattern, StringComparer.Ordinal)
                .ThenBy(e => e.Method, StringComparer.Ordinal),
        ];
}
