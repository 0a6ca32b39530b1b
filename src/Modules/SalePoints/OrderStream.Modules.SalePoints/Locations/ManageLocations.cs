using OrderStream.Modules.SalePoints.Assignments;

namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>
/// Sale points (<c>/sale-points</c>) and stores (<c>/stores</c>): create, edit (If-Match), list, read, deactivate and
/// reactivate. One slice for both: they differ only in the address a sale point has.
/// </summary>
internal static class ManageLocations
{
    /// <summary><c>Assign</c>, on creation only: give the new location to chosen users, or to every user who has all the others.</summary>
    public sealed record Body(string Code, string Name, Address? Address, AssignNew? Assign);

    public sealed record Save(LocationKind Kind, Guid? Id, long? ExpectedVersion, string Code, string Name, Address? Address, AssignNew? Assign = null)
        : ICommand<Guid>;

    public sealed record SetActive(LocationKind Kind, Guid Id, long? ExpectedVersion, bool Active, string? Reason) : ICommand<Guid>;

    public sealed record StatusBody(string? Reason);

    public sealed class Validator : AbstractValidator<Save>
    {
        public Validator()
        {
            RuleFor(c => c.Code).NotEmpty().MaximumLength(32).Matches("^[A-Za-z0-9][A-Za-z0-9_-]*$")
                .WithMessage("Code may hold letters, digits, underscores and hyphens.");
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
            RuleFor(c => c.Address).Null().When(c => c.Kind == LocationKind.Store).WithMessage("A store has no address here.");
            RuleFor(c => c.Assign).Null().When(c => c.Id is not null).WithMessage("Assign applies when a location is created; edit users' locations instead.");
            When(c => c.Assign is not null, () =>
            {
                RuleFor(c => c.Assign!.UserIds).Must(ids => ids is null || ids.Count <= 1000).WithMessage("At most 1000 users at once.");
                RuleForEach(c => c.Assign!.UserIds).NotEmpty();
                RuleFor(c => c.Assign!.RoleId).NotEmpty().When(c => c.Kind == LocationKind.SalePoint && c.Assign!.UserIds is { Count: > 0 })
                    .WithMessage("Chosen users need the role they will have at the new sale point.");
                RuleFor(c => c.Assign!.RoleId).Null().When(c => c.Kind == LocationKind.Store).WithMessage("A store has no role.");
            });
            When(c => c.Address is not null, () =>
            {
                RuleFor(c => c.Address!.Lines).Must(l => l is null || l.Count <= 4).WithMessage("At most 4 address lines.");
                RuleForEach(c => c.Address!.Lines).NotEmpty().MaximumLength(100);
                RuleFor(c => c.Address!.PostalCode).MaximumLength(16).Matches("^[A-Za-z0-9 -]*$");
                RuleFor(c => c.Address!.City).MaximumLength(100);
                RuleFor(c => c.Address!.Country).Matches("^[A-Z]{2}$").WithMessage("Country is an ISO 3166 code of two capital letters.");
            });
        }
    }

    public sealed class SetActiveValidator : AbstractValidator<SetActive>
    {
        public SetActiveValidator() => RuleFor(c => c.Reason).MaximumLength(500);
    }

    internal sealed class Handler(IDocumentSession session, IMediator mediator, ActorContext actor, TimeProvider clock)
        : IRequestHandler<Save, Guid>, IRequestHandler<SetActive, Guid>
    {
        public async Task<Guid> Handle(Save c, CancellationToken ct)
        {
            var (code, name) = (c.Code.Trim(), c.Name.Trim());
            if (c.Id is not { } id)
            {
                var opened = new LocationOpened(Guid.CreateVersion7(), c.Kind, clock.GetUtcNow(), code, name, c.Address);
                session.Events.StartStream<Location>(opened.Id, opened);
                await NewLocationAssignments.AddAsync(session, mediator, actor, Location.Create(opened), c.Assign, ct);
                return opened.Id;
            }
            var (stream, location) = await Open(c.Kind, id, c.ExpectedVersion, ct);
            if (location.Code != code || location.Name != name || !Same(location.Address, c.Address))
                stream.AppendOne(new LocationChanged(id, clock.GetUtcNow(), code, name, c.Address, location.Code, location.Name, location.Address));
            return id;
        }

        public async Task<Guid> Handle(SetActive c, CancellationToken ct)
        {
            var (stream, location) = await Open(c.Kind, c.Id, c.ExpectedVersion, ct);
            if (location.IsActive == c.Active) return c.Id; // already so: nothing to record
            stream.AppendOne(c.Active ? new LocationReactivated(c.Id, clock.GetUtcNow(), c.Reason) : new LocationDeactivated(c.Id, clock.GetUtcNow(), c.Reason));
            return c.Id;
        }

        private async Task<(JasperFx.Events.IEventStream<Location>, Location)> Open(LocationKind kind, Guid id, long? version, CancellationToken ct)
        {
            var (stream, location) = await session.FetchForUpdateAsync<Location>(id, version, Location.What(kind).ToLowerInvariant(), ct);
            return location.Kind == kind ? (stream, location) : throw new NotFoundException(Location.What(kind), id.ToString());
        }

        private static bool Same(Address? a, Address? b) =>
            a is null || b is null ? a is null && b is null
            : a with { Lines = null } == b with { Lines = null } && (a.Lines ?? []).SequenceEqual(b.Lines ?? []);
    }

    public enum Status { Active, Inactive, All }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            Map(app, "sale-points", LocationKind.SalePoint, "Sale points", "SalePoint");
            Map(app, "stores", LocationKind.Store, "Stores", "Store");
        }

        private static void Map(IEndpointRouteBuilder app, string plural, LocationKind kind, string tag, string name)
        {
            var route = $"/api/tenants/{{tenant}}/{plural}";
            async Task<IResult> Answer(Guid id, IQuerySession session, HttpContext http, CancellationToken ct) =>
                await session.LoadAsync<Location>(id, ct) is { } l && l.Kind == kind
                    ? http.WithETag(l.Version, LocationResponse.From(l))
                    : throw new NotFoundException(Location.What(kind), id.ToString());

            app.MapPost(route, async (string tenant, Body body, IMediator mediator, IQuerySession session, CancellationToken ct) =>
                {
                    var id = await mediator.Send(new Save(kind, null, null, body.Code, body.Name, body.Address, body.Assign), ct);
                    return Results.Created($"/api/tenants/{tenant}/{plural}/{id}", LocationResponse.From((await session.LoadAsync<Location>(id, ct))!));
                })
                .WithTags(tag).WithName($"Create{name}").Produces<LocationResponse>(StatusCodes.Status201Created)
                .RequireFeature(SalePointsModule.MaintainLocations);
            app.MapPut(route + "/{id:guid}", async (Guid id, Body body, IMediator mediator, IQuerySession session, HttpContext http, CancellationToken ct) =>
                {
                    await mediator.Send(new Save(kind, id, ETags.ExpectedVersion(http.Request), body.Code, body.Name, body.Address, body.Assign), ct);
                    return await Answer(id, session, http, ct);
                })
                .WithTags(tag).WithName($"Update{name}").Produces<LocationResponse>().RequireFeature(SalePointsModule.MaintainLocations);
            foreach (var (verb, active) in new[] { ("deactivate", false), ("reactivate", true) })
                app.MapPost(route + "/{id:guid}/" + verb, async (Guid id, StatusBody? body, IMediator mediator, IQuerySession session, HttpContext http,
                        CancellationToken ct) =>
                    {
                        await mediator.Send(new SetActive(kind, id, ETags.ExpectedVersion(http.Request), active, body?.Reason), ct);
                        return await Answer(id, session, http, ct);
                    })
                    .WithTags(tag).WithName($"{(active ? "Reactivate" : "Deactivate")}{name}").Produces<LocationResponse>()
                    .RequireFeature(SalePointsModule.MaintainLocations);
            app.MapGet(route + "/{id:guid}", Answer).WithTags(tag).WithName($"Get{name}").Produces<LocationResponse>()
                .RequireFeature(SalePointsModule.SeeLocations);
            app.MapGet(route, async (string? status, IQuerySession session, CancellationToken ct) =>
                {
                    var wanted = status is null ? Status.Active
                        : Enum.TryParse<Status>(status, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s
                        : throw new FieldRuleException("status", "status must be one of: active, inactive, all.");
                    var query = session.Query<Location>().Where(l => l.Kind == kind);
                    if (wanted != Status.All) query = query.Where(l => l.IsActive == (wanted == Status.Active));
                    var items = await query.OrderBy(l => l.CodeKey).ToListAsync(ct);
                    return new PagedList<LocationResponse>(items.Select(LocationResponse.From).ToList(), items.Count, 1, Math.Max(items.Count, 1));
                })
                .WithTags(tag).WithName($"List{name}s").RequireFeature(SalePointsModule.SeeLocations);
        }
    }
}
