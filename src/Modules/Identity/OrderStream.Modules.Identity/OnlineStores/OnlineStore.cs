namespace OrderStream.Modules.Identity.OnlineStores;

internal sealed record OnlineStoreCreated(Guid Id, DateTimeOffset At, string Code, string Name);

internal sealed record OnlineStoreRenamed(Guid Id, DateTimeOffset At, string Code, string Name);

/// <summary>A tenant's online store, to which Online Store Administrators are assigned (seed 000).</summary>
internal sealed class OnlineStore
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Code { get; set; } = "";
    public string CodeKey { get; set; } = "";
    public string Name { get; set; } = "";

    public static OnlineStore Create(OnlineStoreCreated e) => new() { Id = e.Id, Code = e.Code, CodeKey = e.Code.ToLowerInvariant(), Name = e.Name };

    public void Apply(OnlineStoreRenamed e) => (Code, CodeKey, Name) = (e.Code, e.Code.ToLowerInvariant(), e.Name);
}

internal sealed record OnlineStoreResponse(string Id, long Version, string Code, string Name)
{
    public static OnlineStoreResponse From(OnlineStore s) => new(s.Id.ToString(), s.Version, s.Code, s.Name);
}

/// <summary>Create, list and edit online stores: small enough to read as one slice.</summary>
internal static class ManageOnlineStores
{
    public sealed record Body(string Code, string Name);

    public sealed record Save(Guid? Id, long? ExpectedVersion, string Code, string Name) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Save>
    {
        public Validator()
        {
            RuleFor(c => c.Code).NotEmpty().MaximumLength(32).Matches("^[A-Za-z0-9][A-Za-z0-9_-]*$")
                .WithMessage("Code may hold letters, digits, underscores and hyphens.");
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        }
    }

    internal sealed class Handler(IDocumentSession session, TimeProvider clock) : IRequestHandler<Save, Guid>
    {
        public async Task<Guid> Handle(Save c, CancellationToken ct)
        {
            if (c.Id is not { } id)
            {
                var created = new OnlineStoreCreated(Guid.CreateVersion7(), clock.GetUtcNow(), c.Code.Trim(), c.Name.Trim());
                session.Events.StartStream<OnlineStore>(created.Id, created);
                return created.Id;
            }
            var (stream, store) = await session.FetchForUpdateAsync<OnlineStore>(id, c.ExpectedVersion, "online store", ct);
            if (store.Code != c.Code.Trim() || store.Name != c.Name.Trim())
                stream.AppendOne(new OnlineStoreRenamed(id, clock.GetUtcNow(), c.Code.Trim(), c.Name.Trim()));
            return id;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        private const string Route = "/api/tenants/{tenant}/online-stores";

        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapPost(Route, async (string tenant, Body body, IMediator mediator, IQuerySession session, CancellationToken ct) =>
                {
                    var id = await mediator.Send(new Save(null, null, body.Code, body.Name), ct);
                    var store = await session.LoadAsync<OnlineStore>(id, ct);
                    return Results.Created($"/api/tenants/{tenant}/online-stores/{id}", OnlineStoreResponse.From(store!));
                })
                .WithTags("Online stores").WithName("CreateOnlineStore").RequireFeature(IdentityModule.ManageUsers);
            app.MapPut(Route + "/{id:guid}", async (Guid id, Body body, IMediator mediator, IQuerySession session, HttpContext http, CancellationToken ct) =>
                {
                    await mediator.Send(new Save(id, ETags.ExpectedVersion(http.Request), body.Code, body.Name), ct);
                    var store = await session.LoadAsync<OnlineStore>(id, ct);
                    return http.WithETag(store!.Version, OnlineStoreResponse.From(store));
                })
                .WithTags("Online stores").WithName("UpdateOnlineStore").RequireFeature(IdentityModule.ManageUsers);
            app.MapGet(Route + "/{id:guid}", async (Guid id, IQuerySession session, HttpContext http, CancellationToken ct) =>
                    await session.LoadAsync<OnlineStore>(id, ct) is { } store
                        ? http.WithETag(store.Version, OnlineStoreResponse.From(store))
                        : throw new BuildingBlocks.Errors.NotFoundException("Online store", id.ToString()))
                .WithTags("Online stores").WithName("GetOnlineStore").RequireFeature(IdentityModule.ManageUsers);
            app.MapGet(Route, async (IQuerySession session, CancellationToken ct) =>
                {
                    var stores = await session.Query<OnlineStore>().OrderBy(s => s.CodeKey).ToListAsync(ct);
                    return new PagedList<OnlineStoreResponse>(stores.Select(OnlineStoreResponse.From).ToList(), stores.Count, 1, stores.Count);
                })
                .WithTags("Online stores").WithName("ListOnlineStores").RequireFeature(IdentityModule.ManageUsers);
        }
    }
}
