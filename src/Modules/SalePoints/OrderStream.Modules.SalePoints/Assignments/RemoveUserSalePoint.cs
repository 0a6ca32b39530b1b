using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>Takes one sale point (and the role there) from the user; one they do not have is a 404.</summary>
internal static class RemoveUserSalePoint
{
    public sealed record Command(Guid UserId, long? ExpectedVersion, Guid SalePointId) : ICommand<Unit>;

    internal sealed class Handler(IDocumentSession session, IMediator mediator, TimeProvider clock)
        : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var (stream, before) = await UserLocationsStore.OpenForChangeAsync(
                session,
                mediator,
                c.UserId,
                c.ExpectedVersion,
                "sale points",
                ct
            );
            var salePoint = await UserLocationsStore.LocationAsync(session, LocationKind.SalePoint, c.SalePointId, ct);
            var held = before.SalePoints.FirstOrDefault(s => s.SalePointId == salePoint.Id)
                ?? throw new NotFoundException(
                    $"The user's {UserLocationsStore.Label(salePoint)}",
                    salePoint.Id.ToString()
                );
            var after = before with { SalePoints = [.. before.SalePoints.Where(s => s != held)] };
            UserLocationsStore.Set(
                stream,
                c.UserId,
                clock.GetUtcNow(),
                before,
                after,
                $"removed {UserLocationsStore.Label(salePoint)}"
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapDelete(
                    "/api/tenants/{tenant}/users/{id:guid}/sale-points/{salePointId:guid}",
                    async (Guid id, Guid salePointId, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id, ETags.ExpectedVersion(h.Request), salePointId), ct);
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("RemoveUserSalePoint")
                .WithSummary("Take a sale point from a user")
                .WithDescription("`If-Match` guards the user's assignments. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
