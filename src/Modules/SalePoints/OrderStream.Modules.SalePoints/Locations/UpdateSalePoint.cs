using OrderStream.Modules.SalePoints.Assignments;

namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>Renames a sale point or changes its code or address (If-Match); the event keeps before and after.</summary>
internal static class UpdateSalePoint
{
    /// <summary><c>Assign</c> is refused: it applies when a location is created.</summary>
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
            LocationFields.AddressRules(this, c => c.Address);
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
                LocationKind.SalePoint,
                c.Id,
                c.ExpectedVersion,
                c.Code,
                c.Name,
                c.Address,
                ct
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/sale-points/{id:guid}",
                    async (Guid id, Body b, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        await mediator.Send(
                            new Command(id, ETags.ExpectedVersion(http.Request), b.Code, b.Name, b.Address, b.Assign),
                            ct
                        );
                        return await GetLocation.AnswerAsync(mediator, http, LocationKind.SalePoint, id, ct);
                    }
                )
                .WithTags("Sale points")
                .WithName("UpdateSalePoint")
                .WithSummary("Change a sale point")
                .WithDescription("Send `If-Match` with the `ETag` you read: 412 when stale. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<LocationResponse>()
                .RequireFeature(SalePointsModule.MaintainLocations);
    }
}
