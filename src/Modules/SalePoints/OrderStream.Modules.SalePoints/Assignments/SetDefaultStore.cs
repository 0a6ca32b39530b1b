using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// Sets the user's default store (seed 002, user form item 12): one of their stores, else a 400 saying so.
/// </summary>
internal static class SetDefaultStore
{
    public sealed record Body(Guid? StoreId);

    public sealed record Command(Guid UserId, long? ExpectedVersion, Guid? StoreId) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.StoreId).NotEmpty();
    }

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
            var store = await UserLocationsStore.LocationAsync(session, LocationKind.Store, c.StoreId!.Value, ct);
            if (!before.StoreIds.Contains(store.Id))
                throw new FieldRuleException(
                    "storeId",
                    $"{UserLocationsStore.Label(store)} is not one of the user's stores: add it to the user first."
                );
            var after = before with { DefaultStoreId = store.Id };
            UserLocationsStore.Set(
                stream,
                c.UserId,
                clock.GetUtcNow(),
                before,
                after,
                $"default store set to {UserLocationsStore.Label(store)}"
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/users/{id:guid}/default-store",
                    async (Guid id, Body b, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id, ETags.ExpectedVersion(h.Request), b.StoreId), ct);
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("SetDefaultStore")
                .WithSummary("Set a user's default store")
                .WithDescription(
                    "The store must be one of the user's stores (400 otherwise). `If-Match` guards the "
                        + "user's assignments. Audited."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
