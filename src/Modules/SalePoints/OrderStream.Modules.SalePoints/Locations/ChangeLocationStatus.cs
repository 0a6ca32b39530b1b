namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>
/// Deactivates or reactivates a sale point or store (If-Match). Nothing is deleted: users keep their assignments (seed
/// 002 FAQ), and nobody logs in at an inactive sale point or uses a feature of an inactive place.
/// </summary>
internal static class ChangeLocationStatus
{
    public sealed record Body(string? Reason);

    public sealed record Command(LocationKind Kind, Guid Id, long? ExpectedVersion, bool Active, string? Reason)
        : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).MaximumLength(500);
    }

    internal sealed class Handler(IDocumentSession session, TimeProvider clock) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            await LocationWrites.SetActiveAsync(
                session,
                clock,
                c.Kind,
                c.Id,
                c.ExpectedVersion,
                c.Active,
                c.Reason,
                ct
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            const string salePoint = "/api/tenants/{tenant}/sale-points/{id:guid}",
                store = "/api/tenants/{tenant}/stores/{id:guid}";
            app.MapPost(
                    salePoint + "/deactivate",
                    (Guid id, Body? b, IMediator m, HttpContext h, CancellationToken ct) =>
                        ChangeAsync(
                            new Command(LocationKind.SalePoint, id, ETags.ExpectedVersion(h.Request), false, b?.Reason),
                            m,
                            h,
                            ct
                        )
                )
                .WithTags("Sale points")
                .WithName("DeactivateSalePoint")
                .WithSummary("Deactivate a sale point")
                .WithDescription(
                    "Nobody can work there until it is reactivated. Send `If-Match` to guard against "
                        + "stale changes. Audited."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<LocationResponse>()
                .RequireFeature(SalePointsModule.MaintainLocations);
            app.MapPost(
                    salePoint + "/reactivate",
                    (Guid id, Body? b, IMediator m, HttpContext h, CancellationToken ct) =>
                        ChangeAsync(
                            new Command(LocationKind.SalePoint, id, ETags.ExpectedVersion(h.Request), true, b?.Reason),
                            m,
                            h,
                            ct
                        )
                )
                .WithTags("Sale points")
                .WithName("ReactivateSalePoint")
                .WithSummary("Reactivate a sale point")
                .WithDescription("Send `If-Match` to guard against stale changes. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<LocationResponse>()
                .RequireFeature(SalePointsModule.MaintainLocations);
            app.MapPost(store + "/deactivate", (Guid id, Body? b, IMediator m, HttpContext h, CancellationToken ct) =>
                    ChangeAsync(
                        new Command(LocationKind.Store, id, ETags.ExpectedVersion(h.Request), false, b?.Reason),
                        m,
                        h,
                        ct
                    )
                )
                .WithTags("Stores")
                .WithName("DeactivateStore")
                .WithSummary("Deactivate a store")
                .WithDescription("Send `If-Match` to guard against stale changes. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<LocationResponse>()
                .RequireFeature(SalePointsModule.MaintainLocations);
            app.MapPost(store + "/reactivate", (Guid id, Body? b, IMediator m, HttpContext h, CancellationToken ct) =>
                    ChangeAsync(
                        new Command(LocationKind.Store, id, ETags.ExpectedVersion(h.Request), true, b?.Reason),
                        m,
                        h,
                        ct
                    )
                )
                .WithTags("Stores")
                .WithName("ReactivateStore")
                .WithSummary("Reactivate a store")
                .WithDescription("Send `If-Match` to guard against stale changes. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<LocationResponse>()
                .RequireFeature(SalePointsModule.MaintainLocations);
        }

        private static async Task<IResult> ChangeAsync(
            Command command,
            IMediator mediator,
            HttpContext http,
            CancellationToken ct
        )
        {
            await mediator.Send(command, ct);
            return await GetLocation.AnswerAsync(mediator, http, command.Kind, command.Id, ct);
        }
    }
}
