using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// Gives a user one more sale point with their role there (seed 002, user form item 8), optionally time-boxed: the role
/// applies in the window only, and the assignment is removed once it lapsed. Giving the role is judged by the Roles
/// module.
/// </summary>
internal static class AddUserSalePoint
{
    public sealed record Body(Guid? SalePointId, Guid? RoleId, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

    public sealed record Command(
        Guid UserId,
        long? ExpectedVersion,
        Guid? SalePointId,
        Guid? RoleId,
        DateTimeOffset? ValidFrom,
        DateTimeOffset? ValidUntil
    ) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.SalePointId).NotEmpty();
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
            var salePoint = await UserLocationsStore.LocationAsync(
                session,
                LocationKind.SalePoint,
                c.SalePointId!.Value,
                ct
            );
            var now = clock.GetUtcNow();
            var after = UserLocationsStore.WithSalePoint(
                before,
                salePoint,
                role,
                c.ValidFrom,
                c.ValidUntil,
                now,
                actor.Actor,
                "salePointId"
            );
            if (after is null)
                return Unit.Value; // had it so already
            var change =
                $"added {UserLocationsStore.Label(salePoint)} with role "
                + $"{role.Name}{Validity.Describe(c.ValidFrom, c.ValidUntil)}";
            UserLocationsStore.Set(stream, c.UserId, now, before, after, change);
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/users/{id:guid}/sale-points",
                    async (Guid id, Body b, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(
                            new Command(
                                id,
                                ETags.ExpectedVersion(h.Request),
                                b.SalePointId,
                                b.RoleId,
                                b.ValidFrom,
                                b.ValidUntil
                            ),
                            ct
                        );
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("AddUserSalePoint")
                .WithSummary("Give a user a sale point")
                .WithDescription("Optionally with a role there. `If-Match` guards the user's assignments. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
