using System.Globalization;
using System.Text;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Decisions;

namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>
/// The catalogue as the tenant sees it (shipped features and its own), filtered by area and a search in code, name or
/// description.
/// </summary>
internal static class ListSecureFeatures
{
    public sealed record Query(string? Area, string? Search) : IQuery<Result>;

    public sealed record Result(int CatalogueVersion, IReadOnlyList<SecureFeature> Items, int Total);

    internal sealed class Handler(AccessEngine engine, FeatureCatalogue catalogue, TenantContext tenant)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query q, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var term = Fold(q.Search ?? "");
            var items = access
                .Features.Where(f =>
                    q.Area is null || string.Equals(f.Area, q.Area, StringComparison.OrdinalIgnoreCase)
                )
                .Where(f =>
                    term.Length == 0
                    || Fold($"{f.Code} {f.Name} {f.Description}").Contains(term, StringComparison.Ordinal)
                )
                .ToList();
            return new Result(catalogue.Version, items, items.Count);
        }

        private static string Fold(string text) =>
            new(
                text.Trim()
                    .ToLowerInvariant()
                    .Normalize(NormalizationForm.FormD)
                    .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                    .ToArray()
            );
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/secure-features",
                    (string? area, string? search, IMediator mediator, CancellationToken ct) =>
                        mediator.Send(new Query(area, search), ct)
                )
                .WithTags("Secure features")
                .WithName("ListSecureFeatures")
                .WithSummary("List the secure features")
                .WithDescription("The catalogue with the tenant's custom features, their qualifiers and tiers.")
                .RequireAuthorization();
    }
}
