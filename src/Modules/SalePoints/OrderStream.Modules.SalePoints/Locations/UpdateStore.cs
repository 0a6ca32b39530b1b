using OrderStream.Modules.SalePoints.Assignments;

namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>Renames a store or changes its code (If-Match); the event keeps before and after.</summary>
internal static class UpdateStore
{
    /// <summary>
    /// <c>Address</c> and <c>Assign</c> are refused: a store has no address, and assign applies on creation.
    /// </summary>
    public sealed record Body(string Code, string Name, Address? Address, AssignNew? Assign);

    public sealed record Command(
        Guid Id,
        long? ExpectedVersion,
        string Code,
        string Name,
        Address? Address,
        AssignNew? Assign
    ) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            LocationFields.Rules(this, c => c.Code, c => c.Name);
            RuleFor(c => c.Address).Null().WithMessage("A store has no address here.");
            RuleFor(c => c.Assign)
                .Null()
                .WithMessage("Assign applies when a location is created; edit users' locations instead.");
        }
    }

    internal sealed class Handler(IDocumentSession session, TimeProvider clock) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            await LocationWrites.ChangeAsync(
                session,
                clock,
                LocationKind.Store,
                c.Id,
                c.ExpectedVersion,
                c.Code,
                c.Name,
                null,
                ct
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/stores/{id:guid}",
                    async (Guid id, Body b, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        await mediator.Send(
                            new Command(id, ETags.ExpectedVersion(http.Request), b.Code, b.Name, b.Address, b.Assign),
                            ct
                        );
                        return await GetLocation.AnswerAsync(mediator, http, LocationKind.Store, id, ct);
                    }
                )
                .WithTags("Stores")
                .WithName("UpdateStore")
                .WithSummary("Change a store")
                .WithDescription("Send `If-Match` with the `ETag` you read: 412 when stale. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<LocationResponse>()
                .RequireFeature(SalePointsModule.MaintainLocations);
    }
}
