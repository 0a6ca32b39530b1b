using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// Takes every store from the user, and the standing order to give them every new one; not while a default is set.
/// </summary>
internal static class RemoveAllUserStores
{
    public sealed record Command(Guid UserId, long? ExpectedVersion) : ICommand<Unit>;

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
            if (before.DefaultStoreId is { } id && await session.LoadAsync<Location>(id, ct) is { } defaultStore)
                throw new ConflictException(
                    $"{UserLocationsStore.Label(defaultStore)} is the user's default store: clear the default store "
                        + "(or choose another) first."
                );
            var after = before with { StoreIds = [], FutureStores = false };
            UserLocationsStore.Set(stream, c.UserId, clock.GetUtcNow(), before, after, "removed every store");
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapDelete(
                    "/api/tenants/{tenant}/users/{id:guid}/stores",
                    async (Guid id, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id, ETags.ExpectedVersion(h.Request)), ct);
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("RemoveAllUserStores")
                .WithSummary("Take every store from a user")
                .WithDescription("`If-Match` guards the user's assignments. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
