namespace OrderStream.Modules.Identity.OnlineStores;

/// <summary>One online store, with its version as the ETag of the next edit.</summary>
internal static class GetOnlineStore
{
    public sealed record Query(Guid Id) : IQuery<OnlineStore>;

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, OnlineStore>
    {
        public async Task<OnlineStore> Handle(Query q, CancellationToken ct) =>
            await session.LoadAsync<OnlineStore>(q.Id, ct)
            ?? throw new NotFoundException("Online store", q.Id.ToString());
    }

    public static async Task<IResult> AnswerAsync(IMediator mediator, HttpContext http, Guid id, CancellationToken ct)
    {
        var store = await mediator.Send(new Query(id), ct);
        return http.WithETag(store.Version, OnlineStoreResponse.From(store));
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/online-stores/{id:guid}",
                    (Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
                        AnswerAsync(mediator, http, id, ct)
                )
                .WithTags("Online stores")
                .WithName("GetOnlineStore")
                .WithSummary("Read an online store")
                .WithDescription("Answers the online store with an `ETag`.")
                .AnswersWithETag()
                .Produces<OnlineStoreResponse>()
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
