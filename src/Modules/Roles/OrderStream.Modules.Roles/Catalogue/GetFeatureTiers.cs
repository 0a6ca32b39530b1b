using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Roles.Catalogue;

/// <summary>Every feature's tier in this tenant beside the catalogue's, with an ETag (ADR 0029).</summary>
internal static class GetFeatureTiers
{
    public sealed record Query : IQuery<FeatureTiersResponse>;

    internal sealed class Handler(
        IQuerySession session,
        AccessEngine engine,
        FeatureCatalogue catalogue,
        TenantContext tenant
    ) : IRequestHandler<Query, FeatureTiersResponse>
    {
        public async Task<FeatureTiersResponse> Handle(Query q, CancellationToken ct)
        {
            var tiers = await session.LoadAsync<FeatureTiers>(FeatureTiers.StreamId, ct);
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            return new FeatureTiersResponse(
                access
                    .Features.Select(f => new FeatureTierValue(
                        f.Code,
                        f.Name,
                        f.Custom,
                        catalogue.Find(f.Code)?.Tier,
                        f.Tier
                    ))
                    .ToList(),
                tiers?.Version ?? 0
            );
        }
    }

    public static async Task<IResult> AnswerAsync(IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var tiers = await mediator.Send(new Query(), ct);
        return http.WithETag(tiers.Version, tiers);
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/feature-tiers",
                    (IMediator mediator, HttpContext http, CancellationToken ct) => AnswerAsync(mediator, http, ct)
                )
                .WithTags("Secure features")
                .WithName("GetFeatureTiers")
                .WithSummary("Read the features' tiers")
                .WithDescription(
                    "Each secure feature's tier in this tenant (who may hold and give it) beside the catalogue's, with "
                        + "an `ETag`."
                )
                .AnswersWithETag()
                .Produces<FeatureTiersResponse>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
