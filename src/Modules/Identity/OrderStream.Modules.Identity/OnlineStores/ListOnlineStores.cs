namespace OrderStream.Modules.Identity.OnlineStores;

/// <summary>The tenant's online stores by code (a handful: one page).</summary>
internal static class ListOnlineStores
{
    public sealed record Query : IQuery<PagedList<OnlineStoreResponse>>;

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, PagedList<OnlineStoreResponse>>
    {
        public async Task<PagedList<OnlineStoreResponse>> Handle(Query q, CancellationToken ct)
        {
            var stores = await session.Query<OnlineStore>().OrderBy(s => s.CodeKey).ToListAsync(ct);
            return new PagedList<OnlineStoreResponse>(
                [.. stores.Select(OnlineStoreResponse.From)],
                stores.Count,
                1,
                stores.Count
            );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet("/api/tenants/{tenant}/online-stores", (IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new Query(), ct)
                )
                .WithTags("Online stores")
                .WithName("ListOnlineStores")
                .WithSummary("List online stores")
                .WithDescription("The online stores of the tenant, paged.")
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
