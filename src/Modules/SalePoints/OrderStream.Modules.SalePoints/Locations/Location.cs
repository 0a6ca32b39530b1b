using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.Modules.SalePoints.Assignments;
using Contracts = OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>
/// A sale point (where a POS runs) or a store (stock, purchase invoices, inventory): the same life, different uses.
/// </summary>
internal enum LocationKind
{
    SalePoint,
    Store,
}

internal sealed record Address(IReadOnlyList<string>? Lines, string? PostalCode, string? City, string? Country);

// A location's stream. Deactivation keeps every assignment (seed 002 FAQ); nobody logs in at an inactive sale point.
internal sealed record LocationOpened(
    Guid Id,
    LocationKind Kind,
    DateTimeOffset At,
    string Code,
    string Name,
    Address? Address
) : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) =>
        new Contracts.LocationUpdated(m.EventId, m.Tenant, At, Id.ToString(), Kind.ToString(), Code, Name);
}

internal sealed record LocationChanged(
    Guid Id,
    DateTimeOffset At,
    string Code,
    string Name,
    Address? Address,
    string PreviousCode,
    string PreviousName,
    Address? PreviousAddress
) : IHasIntegrationEvent
{
    // The kind never changes; consumers keep it from the opening.
    public IIntegrationEvent? ToIntegrationEvent(EventMeta m) =>
        Code == PreviousCode && Name == PreviousName
            ? null
            : new Contracts.LocationUpdated(m.EventId, m.Tenant, At, Id.ToString(), "", Code, Name);
}

internal sealed record LocationDeactivated(Guid Id, DateTimeOffset At, string? Reason) : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) =>
        new Contracts.LocationStatusChanged(m.EventId, m.Tenant, At, Id.ToString(), false);
}

internal sealed record LocationReactivated(Guid Id, DateTimeOffset At, string? Reason) : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) =>
        new Contracts.LocationStatusChanged(m.EventId, m.Tenant, At, Id.ToString(), true);
}

internal sealed class Location
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public LocationKind Kind { get; set; }
    public string Code { get; set; } = "";

    /// <summary>Unique per tenant and kind, ignoring case: a sale point and a store may share a code.</summary>
    public string CodeKey { get; set; } = "";
    public string Name { get; set; } = "";
    public Address? Address { get; set; }
    public bool IsActive { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static string What(LocationKind kind) => kind == LocationKind.SalePoint ? "Sale point" : "Store";

    public static string Key(LocationKind kind, string code) => $"{kind}:{code.Trim().ToLowerInvariant()}";

    public static Location Create(LocationOpened e) =>
        new()
        {
            Id = e.Id,
            Kind = e.Kind,
            Code = e.Code,
            CodeKey = Key(e.Kind, e.Code),
            Name = e.Name,
            Address = e.Address,
            IsActive = true,
            CreatedAt = e.At,
        };

    public void Apply(LocationChanged e) =>
        (Code, CodeKey, Name, Address) = (e.Code, Key(Kind, e.Code), e.Name, e.Address);

    public void Apply(LocationDeactivated _) => IsActive = false;

    public void Apply(LocationReactivated _) => IsActive = true;
}

internal sealed record LocationResponse(
    string Id,
    long Version,
    string Code,
    string Name,
    Address? Address,
    bool IsActive,
    DateTimeOffset CreatedAt
)
{
    public static LocationResponse From(Location l) =>
        new(l.Id.ToString(), l.Version, l.Code, l.Name, l.Address, l.IsActive, l.CreatedAt);
}

/// <summary>The rules of a location's fields, the same wherever a sale point or store is created or edited.</summary>
internal static class LocationFields
{
    public const int MaxAssigned = 1000;

    public static void Rules<T>(AbstractValidator<T> v, Func<T, string> code, Func<T, string> name)
    {
        v.RuleFor(c => code(c))
            .NotEmpty()
            .MaximumLength(32)
            .Matches("^[A-Za-z0-9][A-Za-z0-9_-]*$")
            .WithMessage("Code may hold letters, digits, underscores and hyphens.")
            .OverridePropertyName("code");
        v.RuleFor(c => name(c)).NotEmpty().MaximumLength(200).OverridePropertyName("name");
    }

    public static void AddressRules<T>(AbstractValidator<T> v, Func<T, Address?> address) =>
        v.When(
            c => address(c) is not null,
            () =>
            {
                v.RuleFor(c => address(c)!.Lines)
                    .Must(l => l is null || l.Count <= 4)
                    .WithMessage("At most 4 address lines.")
                    .OverridePropertyName("address.lines");
                v.RuleForEach(c => address(c)!.Lines)
                    .NotEmpty()
                    .MaximumLength(100)
                    .OverridePropertyName("address.lines");
                v.RuleFor(c => address(c)!.PostalCode)
                    .MaximumLength(16)
                    .Matches("^[A-Za-z0-9 -]*$")
                    .OverridePropertyName("address.postalCode");
                v.RuleFor(c => address(c)!.City).MaximumLength(100).OverridePropertyName("address.city");
                v.RuleFor(c => address(c)!.Country)
                    .Matches("^[A-Z]{2}$")
                    .WithMessage("Country is an ISO 3166 code of two capital letters.")
                    .OverridePropertyName("address.country");
            }
        );

    /// <summary>
    /// <c>Assign</c> on creation: at most 1000 chosen users; a sale point's chosen users need their role there.
    /// </summary>
    public static void AssignRules<T>(AbstractValidator<T> v, Func<T, AssignNew?> assign, LocationKind kind) =>
        v.When(
            c => assign(c) is not null,
            () =>
            {
                v.RuleFor(c => assign(c)!.UserIds)
                    .Must(ids => ids is null || ids.Count <= MaxAssigned)
                    .WithMessage($"At most {MaxAssigned} users at once.")
                    .OverridePropertyName("assign.userIds");
                v.RuleForEach(c => assign(c)!.UserIds).NotEmpty().OverridePropertyName("assign.userIds");
                if (kind == LocationKind.SalePoint)
                    v.RuleFor(c => assign(c)!.RoleId)
                        .NotEmpty()
                        .When(c => assign(c)!.UserIds is { Count: > 0 })
                        .WithMessage("Chosen users need the role they will have at the new sale point.")
                        .OverridePropertyName("assign.roleId");
                else
                    v.RuleFor(c => assign(c)!.RoleId)
                        .Null()
                        .WithMessage("A store has no role.")
                        .OverridePropertyName("assign.roleId");
            }
        );
}

/// <summary>
/// Opening, editing and (de)activating a location of either kind: what the slices of both kinds do alike.
/// </summary>
internal static class LocationWrites
{
    public static async Task<Guid> OpenAsync(
        IDocumentSession session,
        IMediator mediator,
        ActorContext actor,
        TimeProvider clock,
        LocationKind kind,
        string code,
        string name,
        Address? address,
        AssignNew? assign,
        CancellationToken ct
    )
    {
        var opened = new LocationOpened(
            Guid.CreateVersion7(),
            kind,
            clock.GetUtcNow(),
            code.Trim(),
            name.Trim(),
            address
        );
        session.Events.StartStream<Location>(opened.Id, opened);
        await Assignments.NewLocationAssignments.AddAsync(
            session,
            mediator,
            actor,
            Location.Create(opened),
            assign,
            ct
        );
        return opened.Id;
    }

    public static async Task ChangeAsync(
        IDocumentSession session,
        TimeProvider clock,
        LocationKind kind,
        Guid id,
        long? version,
        string code,
        string name,
        Address? address,
        CancellationToken ct
    )
    {
        var (stream, location) = await ForUpdateAsync(session, kind, id, version, ct);
        (code, name) = (code.Trim(), name.Trim());
        if (location.Code != code || location.Name != name || !Same(location.Address, address))
            stream.AppendOne(
                new LocationChanged(
                    id,
                    clock.GetUtcNow(),
                    code,
                    name,
                    address,
                    location.Code,
                    location.Name,
                    location.Address
                )
            );
    }

    public static async Task SetActiveAsync(
        IDocumentSession session,
        TimeProvider clock,
        LocationKind kind,
        Guid id,
        long? version,
        bool active,
        string? reason,
        CancellationToken ct
    )
    {
        var (stream, location) = await ForUpdateAsync(session, kind, id, version, ct);
        if (location.IsActive == active)
            return; // already so: nothing to record
        stream.AppendOne(
            active
                ? new LocationReactivated(id, clock.GetUtcNow(), reason)
                : new LocationDeactivated(id, clock.GetUtcNow(), reason)
        );
    }

    /// <summary>The location of that kind, or a 404 (a store's id at a sale point's route names nothing).</summary>
    public static async Task<Location> FindAsync(
        IQuerySession session,
        LocationKind kind,
        Guid id,
        CancellationToken ct
    ) =>
        await session.LoadAsync<Location>(id, ct) is { } l && l.Kind == kind
            ? l
            : throw new NotFoundException(Location.What(kind), id.ToString());

    private static async Task<(JasperFx.Events.IEventStream<Location>, Location)> ForUpdateAsync(
        IDocumentSession session,
        LocationKind kind,
        Guid id,
        long? version,
        CancellationToken ct
    )
    {
        var (stream, location) = await session.FetchForUpdateAsync<Location>(
            id,
            version,
            Location.What(kind).ToLowerInvariant(),
            ct
        );
        return location.Kind == kind
            ? (stream, location)
            : throw new NotFoundException(Location.What(kind), id.ToString());
    }

    private static bool Same(Address? a, Address? b) =>
        a is null || b is null
            ? a is null && b is null
            : a with { Lines = null } == b with { Lines = null } && (a.Lines ?? []).SequenceEqual(b.Lines ?? []);
}
