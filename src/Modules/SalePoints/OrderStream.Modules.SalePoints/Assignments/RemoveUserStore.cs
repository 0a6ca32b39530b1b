using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>Takes one store from the user; not their default store, which must be changed or cleared first.</summary>
internal static class RemoveUserStore
{
    public sealed record Command(Guid UserId, long? ExpectedVersion, Guid StoreId) : ICommand<Unit>;

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
            var store = await UserLocationsStore.LocationAsync(session, LocationKind.Store, c.StoreId, ct);
            if (!before.StoreIds.Contains(store.Id))
                throw new NotFoundException($"The user's {UserLocationsStore.Label(store)}", store.Id.ToString());
            if (store.Id == before.DefaultStoreId)
                throw new ConflictException(
                    $"{UserLocationsStore.Label(store)} is the user's default store: choose another default store "
                        + $"first.",
                    "storeId"
                );
            var after = before with { StoreIds = [.. before.StoreIds.Where(s => s != store.Id)] };
            UserLocationsStore.Set(
                stream,
                c.UserId,
                clock.GetUtcNow(),
                before,
                after,
                $"removed {UserLocationsStore.Label(store)}"
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapDelete(
                    "/api/tenants/{tenant}/users/{id:guid}/stores/{storeId:guid}",
                    async (Guid id, Guid storeId, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id, ETags.ExpectedVersion(h.Request), storeId), ct);
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("RemoveUserStore")
                .WithSummary("Take a store from a user")
                .WithDescription("`If-Match` guards the user's assignments. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
