using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// A user's stores (seed 002, user form items 11-12): add one, add all (optionally every future one too), remove one,
/// remove all, and the default store, which must be one of them and cannot be removed while it is the default.
/// </summary>
internal static class UserStores
{
    public enum Op { Add, AddAll, Remove, RemoveAll, SetDefault, ClearDefault }

    public sealed record Command(Guid UserId, long? ExpectedVersion, Op Op, Guid? StoreId, bool IncludeFuture) : ICommand<Unit>;

    public sealed record StoreBody(Guid? StoreId);

    public sealed record AddAllBody(bool? IncludeFuture);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.StoreId).NotEmpty().When(c => c.Op is Op.Add or Op.Remove or Op.SetDefault);
    }

    internal sealed class Handler(IDocumentSession session, IMediator mediator, TimeProvider clock) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            await UserLocationsStore.RequireUserAsync(mediator, c.UserId, ct);
            await mediator.Send(new Roles.Contracts.RequireMayChangeUser(c.UserId, "stores"), ct);
            var (stream, before) = await UserLocationsStore.OpenAsync(session, c.UserId, c.ExpectedVersion, ct);
            var store = c.StoreId is { } id ? await UserLocationsStore.LocationAsync(session, LocationKind.Store, id, ct) : null;
            var holds = store is not null && before.StoreIds.Contains(store.Id);
            var defaultStore = before.DefaultStoreId is { } d ? await session.LoadAsync<Location>(d, ct) : null;
            var (after, change) = c.Op switch
            {
                Op.Add => (before with { StoreIds = holds ? before.StoreIds : [.. before.StoreIds, store!.Id] }, $"added {UserLocationsStore.Label(store!)}"),
                Op.AddAll => await AddAllAsync(before, c.IncludeFuture, ct),
                Op.Remove when !holds => throw new NotFoundException($"The user's {UserLocationsStore.Label(store!)}", store!.Id.ToString()),
                Op.Remove when store!.Id == before.DefaultStoreId => throw new ConflictException(
                    $"{UserLocationsStore.Label(store)} is the user's default store: choose another default store first.", "storeId"),
                Op.Remove => (before with { StoreIds = [.. before.StoreIds.Where(s => s != store.Id)] }, $"removed {UserLocationsStore.Label(store)}"),
                Op.RemoveAll when defaultStore is not null => throw new ConflictException(
                    $"{UserLocationsStore.Label(defaultStore)} is the user's default store: clear the default store (or choose another) first."),
                Op.RemoveAll => (before with { StoreIds = [], FutureStores = false }, "removed every store"),
                Op.SetDefault when !holds => throw new FieldRuleException("storeId",
                    $"{UserLocationsStore.Label(store!)} is not one of the user's stores: add it to the user first."),
                Op.SetDefault => (before with { DefaultStoreId = store!.Id }, $"default store set to {UserLocationsStore.Label(store)}"),
                _ => (before with { DefaultStoreId = null }, "default store cleared"),
            };
            UserLocationsStore.Set(stream, c.UserId, clock.GetUtcNow(), before, after, change);
            return Unit.Value;
        }

        private async Task<(LocationsState, string)> AddAllAsync(LocationsState before, bool includeFuture, CancellationToken ct)
        {
            var all = await session.Query<Location>().Where(l => l.Kind == LocationKind.Store).Select(l => l.Id).ToListAsync(ct);
            var after = before with
            {
                StoreIds = [.. before.StoreIds, .. all.Where(id => !before.StoreIds.Contains(id))],
                FutureStores = includeFuture || before.FutureStores,
            };
            return (after, $"added every store{(includeFuture ? ", including future ones" : "")}");
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            const string route = "/api/tenants/{tenant}/users/{id:guid}";
            app.MapGet(route + "/stores", (Guid id, IQuerySession session, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    UserLocationsResponse.AnswerAsync(id, session, mediator, http, ct))
                .WithTags("User locations").WithName("GetUserStores").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.SeeLocations);
            app.MapPost(route + "/stores", (Guid id, StoreBody body, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.Add, body.StoreId, false), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("AddUserStore").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
            app.MapPost(route + "/stores/all", (Guid id, AddAllBody body, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.AddAll, null, body.IncludeFuture ?? false), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("AddAllUserStores").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
            app.MapDelete(route + "/stores", (Guid id, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.RemoveAll, null, false), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("RemoveAllUserStores").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
            app.MapDelete(route + "/stores/{storeId:guid}", (Guid id, Guid storeId, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.Remove, storeId, false), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("RemoveUserStore").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
            app.MapPut(route + "/default-store", (Guid id, StoreBody body, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.SetDefault, body.StoreId, false), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("SetDefaultStore").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
            app.MapDelete(route + "/default-store", (Guid id, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.ClearDefault, null, false), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("ClearDefaultStore").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
        }
    }
}
