using OrderStream.Modules.SalePoints.Assignments;

namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>
/// Opens a sale point (where a POS runs), with its address. <c>Assign</c> gives it at once to chosen users with their
/// role there, or to every user who has all the others; users who take every new sale point get it in any case.
/// </summary>
internal static class CreateSalePoint
{
    public sealed record Command(string Code, string Name, Address? Address, AssignNew? Assign) : ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            LocationFields.Rules(this, c => c.Code, c => c.Name);
            LocationFields.AddressRules(this, c => c.Address);
            LocationFields.AssignRules(this, c => c.Assign, LocationKind.SalePoint);
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
                LocationKind.SalePoint,
                c.Code,
                c.Name,
                c.Address,
                c.Assign,
                ct
            );
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/sale-points",
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
                        return Results.Created($"/api/tenants/{tenant}/sale-points/{id}", created);
                    }
                )
                .WithTags("Sale points")
                .WithName("CreateSalePoint")
                .WithSummary("Create a sale point")
                .WithDescription("Optionally assigned at once to users. Audited.")
                .Produces<LocationResponse>(StatusCodes.Status201Created)
                .RequireFeature(SalePointsModule.MaintainLocations);
    }
}
