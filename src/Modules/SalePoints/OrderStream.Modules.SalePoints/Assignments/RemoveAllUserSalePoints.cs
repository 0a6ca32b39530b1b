namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>Takes every sale point from the user, and the standing order to give them every new one.</summary>
internal static class RemoveAllUserSalePoints
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
                "sale points",
                ct
            );
            var after = before with { SalePoints = [], FutureSalePointsRoleId = null };
            UserLocationsStore.Set(stream, c.UserId, clock.GetUtcNow(), before, after, "removed every sale point");
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapDelete(
                    "/api/tenants/{tenant}/users/{id:guid}/sale-points",
                    async (Guid id, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id, ETags.ExpectedVersion(h.Request)), ct);
                        return await GetUserSalePointsAndStores.AnswerAsync(m, h, id, ct);
                    }
                )
                .WithTags("User locations")
                .WithName("RemoveAllUserSalePoints")
                .WithSummary("Take every sale point from a user")
                .WithDescription("`If-Match` guards the user's assignments. Audited.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<UserLocationsResponse>()
                .RequireFeature(SalePointsModule.ManageUsers);
    }
}
