namespace OrderStream.Modules.Identity.OnlineStores;

/// <summary>Adds an online store, to which Online Store Administrators are then assigned (seed 000).</summary>
internal static class CreateOnlineStore
{
    public sealed record Command(string Code, string Name) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => OnlineStoreFields.Rules(this, c => c.Code, c => c.Name);
    }

    internal sealed class Handler(IDocumentSession session, TimeProvider clock) : IRequestHandler<Command, Guid>
    {
        public Task<Guid> Handle(Command c, CancellationToken ct)
        {
            var created = new OnlineStoreCreated(
                Guid.CreateVersion7(),
                clock.GetUtcNow(),
                c.Code.Trim(),
                c.Name.Trim()
            );
            session.Events.StartStream<OnlineStore>(created.Id, created);
            return Task.FromResult(created.Id);
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/online-stores",
                    async (
                        string tenant,
                        Command command,
                        IMediator mediator,
                        IQuerySession session,
                        CancellationToken ct
                    ) =>
                    {
                        var id = await mediator.Send(command, ct);
                        var store = await session.LoadAsync<OnlineStore>(id, ct);
                        return Results.Created(
                            $"/api/tenants/{tenant}/online-stores/{id}",
                            OnlineStoreResponse.From(store!)
                        );
                    }
                )
                .WithTags("Online stores")
                .WithName("CreateOnlineStore")
                .WithSummary("Create an online store")
                .WithDescription("An online store that Online Store Administrators can be bound to.")
                .Produces<OnlineStoreResponse>(StatusCodes.Status201Created)
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
