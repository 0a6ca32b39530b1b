using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// Gives a user every sale point they lack, with the role given (seed 002, user form item 9), and with
/// <c>includeFuture</c> every sale point created later too. Where the user has one already, their role there is kept:
/// "add all" adds, it never demotes or promotes anyone.
/// </summary>
internal static class AddAllUserSalePoints
{
    public sealed record Body(Guid? RoleId, bool? IncludeFuture);

    public sealed record Command(Guid UserId, long? ExpectedVersion, Guid? RoleId, bool IncludeFuture) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.RoleId).NotEmpty();
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
            var now = clock.GetUtcNow();
            var all = await session
                .Query<Location>()
                .Where(l => l.Kind == LocationKind.SalePoint)
                .Select(l => l.Id)
                .ToListAsync(ct);
            var missing = all.Where(id => before.SalePoints.All(s => s.SalePointId != id))
                .Select(id => new SalePointAssignment(id, role.RoleId, GivenAt: now, GivenBy: actor.Actor));
            var after = before with
            {
                SalePoints = [.. before.SalePoints, .. missing],
                FutureSalePointsRoleId = c.IncludeFuture ? role.RoleId : before.FutureSalePointsRoleId,
            };
            var change =
                $"added every sale point{(c.IncludeFuture ? ", including future ones," : "")} with role {role.Name}";
            UserLocationsStore.Set(stream, c.UserId, now, before, after, change);
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/users/{id:guid}/sale-points/all",
                    async (Guid id, Body b, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(
                            new Command(id, ETags.ExpectedVersion(h.Request), b.RoleId, b.IncludeFuture ?? false),
                            ct
                        );
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("AddAllUserSalePoints")
                .WithSummary("Give a user every sale point")
                .WithDescription(
                    "Optionally with a role and the sale points created later. `If-Match` guards the "
                        + "user's assignments. Audited."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
