using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>Gives a user one more store (seed 002, user form item 11); one they have already changes nothing.</summary>
internal static class AddUserStore
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
            if (before.StoreIds.Contains(store.Id))
                return Unit.Value;
            var after = before with { StoreIds = [.. before.StoreIds, store.Id] };
            UserLocationsStore.Set(
                stream,
                c.UserId,
                clock.GetUtcNow(),
                before,
                after,
                $"added {UserLocationsStore.Label(store)}"
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/users/{id:guid}/stores",
                    async (Guid id, Body b, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id, ETags.ExpectedVersion(h.Request), b.StoreId), ct);
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("AddUserStore")
                .WithSummary("Give a user a store")
                .WithDescription("`If-Match` guards the user's assignments. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
