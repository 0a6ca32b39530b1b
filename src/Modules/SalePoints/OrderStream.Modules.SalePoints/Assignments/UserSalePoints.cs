using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints.Assignments;

/// <summary>
/// A user's sale points, each with the user's role there (seed 002, user form items 7-10): list, add one, add all
/// (optionally every future one too), change the role at one, remove one, remove all.
/// </summary>
internal static class UserSalePoints
{
    public enum Op { Add, AddAll, ChangeRole, Remove, RemoveAll }

    /// <summary><c>ValidFrom</c>/<c>ValidUntil</c>: a time-boxed assignment (adding one, or changing the role at one).</summary>
    public sealed record Command(Guid UserId, long? ExpectedVersion, Op Op, Guid? SalePointId, Guid? RoleId, bool IncludeFuture,
        DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidUntil = null) : ICommand<Unit>;

    public sealed record AddBody(Guid? SalePointId, Guid? RoleId, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

    public sealed record AddAllBody(Guid? RoleId, bool? IncludeFuture);

    public sealed record RoleBody(Guid? RoleId, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.SalePointId).NotEmpty().When(c => c.Op is Op.Add or Op.ChangeRole or Op.Remove);
            RuleFor(c => c.RoleId).NotEmpty().When(c => c.Op is Op.Add or Op.AddAll or Op.ChangeRole);
            Validity.Rules(this, c => c.ValidFrom, c => c.ValidUntil, clock);
        }
    }

    internal sealed class Handler(IDocumentSession session, IMediator mediator, ActorContext actor, TimeProvider clock) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            await UserLocationsStore.RequireUserAsync(mediator, c.UserId, ct);
            await mediator.Send(new Roles.Contracts.RequireMayChangeUser(c.UserId, "sale points"), ct);
            var (stream, before) = await UserLocationsStore.OpenAsync(session, c.UserId, c.ExpectedVersion, ct);
            var role = c.RoleId is { } roleId ? await UserLocationsStore.RoleAsync(mediator, roleId, actor, ct) : null;
            var salePoint = c.SalePointId is { } id ? await UserLocationsStore.LocationAsync(session, LocationKind.SalePoint, id, ct) : null;
            var held = before.SalePoints.FirstOrDefault(s => s.SalePointId == salePoint?.Id);
            var now = clock.GetUtcNow();
            if (c.Op is Op.ChangeRole or Op.Remove && held is null)
                throw new NotFoundException($"The user's {UserLocationsStore.Label(salePoint!)}", salePoint!.Id.ToString());
            var (after, change) = c.Op switch
            {
                Op.Add => (UserLocationsStore.WithSalePoint(before, salePoint!, role!, c.ValidFrom, c.ValidUntil, now, actor.Actor, "salePointId") ?? before,
                    $"added {UserLocationsStore.Label(salePoint!)} with role {role!.Name}{Validity.Describe(c.ValidFrom, c.ValidUntil)}"),
                Op.ChangeRole => (before with { SalePoints = [.. before.SalePoints.Select(s => s == held ? new(s.SalePointId, role!.RoleId, c.ValidFrom, c.ValidUntil, now, actor.Actor) : s)] },
                    $"role at {UserLocationsStore.Label(salePoint!)} set to {role!.Name}{Validity.Describe(c.ValidFrom, c.ValidUntil)}"),
                Op.Remove => (before with { SalePoints = [.. before.SalePoints.Where(s => s != held)] }, $"removed {UserLocationsStore.Label(salePoint!)}"),
                Op.AddAll => await AddAllAsync(before, role!, c.IncludeFuture, now, ct),
                _ => (before with { SalePoints = [], FutureSalePointsRoleId = null }, "removed every sale point"),
            };
            UserLocationsStore.Set(stream, c.UserId, now, before, after, change);
            return Unit.Value;
        }

        // Sale points the user has keep the role they have there: "add all" adds, it never demotes or promotes anyone.
        private async Task<(LocationsState, string)> AddAllAsync(LocationsState before, Roles.Contracts.RoleFacts role, bool includeFuture, DateTimeOffset now,
            CancellationToken ct)
        {
            var all = await session.Query<Location>().Where(l => l.Kind == LocationKind.SalePoint).Select(l => l.Id).ToListAsync(ct);
            var missing = all.Where(id => before.SalePoints.All(s => s.SalePointId != id)).Select(id => new SalePointAssignment(id, role.RoleId, GivenAt: now, GivenBy: actor.Actor));
            var after = before with
            {
                SalePoints = [.. before.SalePoints, .. missing],
                FutureSalePointsRoleId = includeFuture ? role.RoleId : before.FutureSalePointsRoleId,
            };
            return (after, $"added every sale point{(includeFuture ? ", including future ones," : "")} with role {role.Name}");
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            const string route = "/api/tenants/{tenant}/users/{id:guid}/sale-points";
            app.MapGet(route, (Guid id, IQuerySession session, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    UserLocationsResponse.AnswerAsync(id, session, mediator, http, ct))
                .WithTags("User locations").WithName("GetUserSalePoints").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.SeeLocations);
            app.MapPost(route, (Guid id, AddBody body, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.Add, body.SalePointId, body.RoleId, false, body.ValidFrom, body.ValidUntil), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("AddUserSalePoint").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
            app.MapPost(route + "/all", (Guid id, AddAllBody body, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.AddAll, null, body.RoleId, body.IncludeFuture ?? false), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("AddAllUserSalePoints").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
            app.MapDelete(route, (Guid id, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.RemoveAll, null, null, false), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("RemoveAllUserSalePoints").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
            app.MapPut(route + "/{salePointId:guid}", (Guid id, Guid salePointId, RoleBody body, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.ChangeRole, salePointId, body.RoleId, false, body.ValidFrom, body.ValidUntil), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("ChangeUserSalePointRole").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
            app.MapDelete(route + "/{salePointId:guid}", (Guid id, Guid salePointId, IMediator m, IQuerySession s, HttpContext h, CancellationToken ct) =>
                    UserLocationsResponse.AfterAsync(m.Send(new Command(id, ETags.ExpectedVersion(h.Request), Op.Remove, salePointId, null, false), ct), id, s, m, h, ct))
                .WithTags("User locations").WithName("RemoveUserSalePoint").Produces<UserLocationsResponse>().RequireFeature(SalePointsModule.ManageUsers);
        }
    }
}
