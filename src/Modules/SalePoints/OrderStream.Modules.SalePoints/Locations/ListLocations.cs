namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>
/// The tenant's sale points or stores by code: active ones, inactive ones or all (a few hundred at most, one page).
/// </summary>
internal static class ListLocations
{
    public enum Status
    {
        Active,
        Inactive,
        All,
    }

    public sealed record Query(LocationKind Kind, Status Status) : IQuery<PagedList<LocationResponse>>;

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, PagedList<LocationResponse>>
    {
        public async Task<PagedList<LocationResponse>> Handle(Query q, CancellationToken ct)
        {
            var query = session.Query<Location>().Where(l => l.Kind == q.Kind);
            if (q.Status != Status.All)
                query = query.Where(l => l.IsActive == (q.Status == Status.Active));
            var items = await query.OrderBy(l => l.CodeKey).ToListAsync(ct);
            return new PagedList<LocationResponse>(
                [.. items.Select(LocationResponse.From)],
                items.Count,
                1,
                Math.Max(items.Count, 1)
            );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapGet("/api/tenants/{tenant}/sale-points", (string? status, IMediator m, CancellationToken ct) =>
                    m.Send(new Query(LocationKind.SalePoint, QueryValues.Parse(status, Status.Active, "status")), ct)
                )
                .WithTags("Sale points")
                .WithName("ListSalePoints")
                .WithSummary("List sale points")
                .WithDescription("The sale points of the tenant, paged and searchable.")
                .RequireFeature(SalePointsModule.SeeLocations);
            app.MapGet("/api/tenants/{tenant}/stores", (string? status, IMediator m, CancellationToken ct) =>
                    m.Send(new Query(LocationKind.Store, QueryValues.Parse(status, Status.Active, "status")), ct)
                )
                .WithTags("Stores")
                .WithName("ListStores")
                .WithSummary("List stores")
                .WithDescription("The stores of the tenant, paged and searchable.")
                .RequireFeature(SalePointsModule.SeeLocations);
        }
    }
}
