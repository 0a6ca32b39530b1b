namespace OrderStream.Modules.Identity.OnlineStores;

/// <summary>Renames an online store or changes its code (If-Match).</summary>
internal static class UpdateOnlineStore
{
    public sealed record Body(string Code, string Name);

    public sealed record Command(Guid Id, long? ExpectedVersion, string Code, string Name) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => OnlineStoreFields.Rules(this, c => c.Code, c => c.Name);
    }

    internal sealed class Handler(IDocumentSession session, TimeProvider clock) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var (stream, store) = await session.FetchForUpdateAsync<OnlineStore>(
                c.Id,
                c.ExpectedVersion,
                "online store",
                ct
            );
            var (code, name) = (c.Code.Trim(), c.Name.Trim());
            if (store.Code != code || store.Name != name)
                stream.AppendOne(new OnlineStoreRenamed(c.Id, clock.GetUtcNow(), code, name));
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/online-stores/{id:guid}",
                    async (Guid id, Body body, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        await mediator.Send(
                            new Command(id, ETags.ExpectedVersion(http.Request), body.Code, body.Name),
                            ct
                        );
                        return await GetOnlineStore.AnswerAsync(mediator, http, id, ct);
                    }
                )
                .WithTags("Online stores")
                .WithName("UpdateOnlineStore")
                .WithSummary("Change an online store")
                .WithDescription("Send `If-Match` with the `ETag` you read: 412 when someone changed it since.")
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<OnlineStoreResponse>()
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
