namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>Clears the user's default store; their stores stay.</summary>
internal static class ClearDefaultStore
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
            UserLocationsStore.Set(
                stream,
                c.UserId,
                clock.GetUtcNow(),
                before,
                before with
                {
                    DefaultStoreId = null,
                },
                "default store cleared"
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapDelete(
                    "/api/tenants/{tenant}/users/{id:guid}/default-store",
                    async (Guid id, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id, ETags.ExpectedVersion(h.Request)), ct);
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("ClearDefaultStore")
                .WithSummary("Clear a user's default store")
                .WithDescription("`If-Match` guards the user's assignments. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
