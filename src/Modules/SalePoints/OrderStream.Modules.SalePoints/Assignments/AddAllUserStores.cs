using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>Gives a user every store they lack, and with <c>includeFuture</c> every store created later too.</summary>
internal static class AddAllUserStores
{
    public sealed record Body(bool? IncludeFuture);

    public sealed record Command(Guid UserId, long? ExpectedVersion, bool IncludeFuture) : ICommand<Unit>;

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
                "stores",
                ct
            );
            var all = await session
                .Query<Location>()
                .Where(l => l.Kind == LocationKind.Store)
                .Select(l => l.Id)
                .ToListAsync(ct);
            var after = before with
            {
                StoreIds = [.. before.StoreIds, .. all.Where(id => !before.StoreIds.Contains(id))],
                FutureStores = c.IncludeFuture || before.FutureStores,
            };
            var change = $"added every store{(c.IncludeFuture ? ", including future ones" : "")}";
            UserLocationsStore.Set(stream, c.UserId, clock.GetUtcNow(), before, after, change);
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/users/{id:guid}/stores/all",
                    async (Guid id, Body b, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id, ETags.ExpectedVersion(h.Request), b.IncludeFuture ?? false), ct);
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("AddAllUserStores")
                .WithSummary("Give a user every store")
                .WithDescription(
                    "Optionally the stores created later too. `If-Match` guards the user's assignments. " + "Audited."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
