using OrderStream.Modules.SalePoints.Assignments;

namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>
/// Opens a store (stock, purchase invoices, inventory). <c>Assign</c> gives it at once to chosen users, or to every
/// user who has all the others; users who take every new store get it in any case.
/// </summary>
internal static class CreateStore
{
    public sealed record Command(string Code, string Name, Address? Address, AssignNew? Assign) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            LocationFields.Rules(this, c => c.Code, c => c.Name);
            RuleFor(c => c.Address).Null().WithMessage("A store has no address here.");
            LocationFields.AssignRules(this, c => c.Assign, LocationKind.Store);
        }
    }

    internal sealed class Handler(IDocumentSession session, IMediator mediator, ActorContext actor, TimeProvider clock)
        : IRequestHandler<Command, Guid>
    {
        public Task<Guid> Handle(Command c, CancellationToken ct) =>
            LocationWrites.OpenAsync(
                session,
                mediator,
                actor,
                clock,
                LocationKind.Store,
                c.Code,
                c.Name,
                null,
                c.Assign,
                ct
            );
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/stores",
                    async (
                        string tenant,
                        Command command,
                        IMediator mediator,
                        IQuerySession session,
                        CancellationToken ct
                    ) =>
                    {
                        var id = await mediator.Send(command, ct);
                        var created = LocationResponse.From((await session.LoadAsync<Location>(id, ct))!);
                        return Results.Created($"/api/tenants/{tenant}/stores/{id}", created);
                    }
                )
                .WithTags("Stores")
                .WithName("CreateStore")
                .WithSummary("Create a store")
                .WithDescription("Optionally assigned at once to users. Audited.")
                .Produces<LocationResponse>(StatusCodes.Status201Created)
                .RequireFeature(SalePointsModule.MaintainLocations);
    }
}
