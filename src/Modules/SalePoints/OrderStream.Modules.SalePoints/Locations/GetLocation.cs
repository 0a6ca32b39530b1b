namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>One sale point or store, with its version as the ETag of the next edit.</summary>
internal static class GetLocation
{
    public sealed record Query(LocationKind Kind, Guid Id) : IQuery<Location>;

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, Location>
    {
        public Task<Location> Handle(Query q, CancellationToken ct) =>
            LocationWrites.FindAsync(session, q.Kind, q.Id, ct);
    }

    /// <summary>The location as the answer of a read or a write: the body and its ETag.</summary>
    public static async Task<IResult> AnswerAsync(
        IMediator mediator,
        HttpContext http,
        LocationKind kind,
        Guid id,
        CancellationToken ct
    )
    {
        var location = await mediator.Send(new Query(kind, id), ct);
        return http.WithETag(location.Version, LocationResponse.From(location));
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapGet(
                    "/api/tenants/{tenant}/sale-points/{id:guid}",
                    (Guid id, IMediator m, HttpContext h, CancellationToken ct) =>
                        AnswerAsync(m, h, LocationKind.SalePoint, id, ct)
                )
                .WithTags("Sale points")
                .WithName("GetSalePoint")
                .WithSummary("Read a sale point")
                .WithDescription("Answers the sale point with an `ETag`.")
                .AnswersWithETag()
                .Produces<LocationResponse>()
                .RequireFeature(SalePointsModule.SeeLocations);
            app.MapGet(
                    "/api/tenants/{tenant}/stores/{id:guid}",
                    (Guid id, IMediator m, HttpContext h, CancellationToken ct) =>
                        AnswerAsync(m, h, LocationKind.Store, id, ct)
                )
                .WithTags("Stores")
                .WithName("GetStore")
                .WithSummary("Read a store")
                .WithDescription("Answers the store with an `ETag`.")
                .AnswersWithETag()
                .Produces<LocationResponse>()
                .RequireFeature(SalePointsModule.SeeLocations);
        }
    }
}
