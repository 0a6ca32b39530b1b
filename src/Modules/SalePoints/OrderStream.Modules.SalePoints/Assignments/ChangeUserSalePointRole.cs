using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// Changes the user's role at one of their sale points, and its window (seed 002, user form item 10).
/// </summary>
internal static class ChangeUserSalePointRole
{
    public sealed record Body(Guid? RoleId, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

    public sealed record Command(
        Guid UserId,
        long? ExpectedVersion,
        Guid SalePointId,
        Guid? RoleId,
        DateTimeOffset? ValidFrom,
        DateTimeOffset? ValidUntil
    ) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.RoleId).NotEmpty();
            Validity.Rules(this, c => c.ValidFrom, c => c.ValidUntil, clock);
        }
    }

    internal sealed class Handler(IDocumentSession session, IMediator mediator, ActorContext actor, TimeProvider clock)
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
            var role = await UserLocationsStore.RoleAsync(mediator, c.RoleId!.Value, actor, [c.UserId], ct);
            var salePoint = await UserLocationsStore.LocationAsync(session, LocationKind.SalePoint, c.SalePointId, ct);
            var held = before.SalePoints.FirstOrDefault(s => s.SalePointId == salePoint.Id)
                ?? throw new NotFoundException(
                    $"The user's {UserLocationsStore.Label(salePoint)}",
                    salePoint.Id.ToString()
                );
            var now = clock.GetUtcNow();
            var changed = new SalePointAssignment(
                held.SalePointId,
                role.RoleId,
                c.ValidFrom,
                c.ValidUntil,
                now,
                actor.Actor
            );
            var after = before with { SalePoints = [.. before.SalePoints.Select(s => s == held ? changed : s)] };
            var change =
                $"role at {UserLocationsStore.Label(salePoint)} set to "
                + $"{role.Name}{Validity.Describe(c.ValidFrom, c.ValidUntil)}";
            UserLocationsStore.Set(stream, c.UserId, now, before, after, change);
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/users/{id:guid}/sale-points/{salePointId:guid}",
                    async (Guid id, Guid salePointId, Body b, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        var version = ETags.ExpectedVersion(h.Request);
                        await m.Send(new Command(id, version, salePointId, b.RoleId, b.ValidFrom, b.ValidUntil), ct);
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("ChangeUserSalePointRole")
                .WithSummary("Change a user's role at a sale point")
                .WithDescription("`If-Match` guards the user's assignments. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
