using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using Contracts = OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.SalePoints.Locations;

/// <summary>A sale point (where a POS runs) or a store (stock, purchase invoices, inventory): the same life, different uses.</summary>
internal enum LocationKind { SalePoint, Store }

internal sealed record Address(IReadOnlyList<string>? Lines, string? PostalCode, string? City, string? Country);

// A location's stream. Deactivation keeps every assignment (seed 002 FAQ); nobody logs in at an inactive sale point.
internal sealed record LocationOpened(Guid Id, LocationKind Kind, DateTimeOffset At, string Code, string Name, Address? Address)
    : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) => new Contracts.LocationUpdated(m.EventId, m.Tenant, At, Id.ToString(), Kind.ToString(), Code, Name);
}

internal sealed record LocationChanged(Guid Id, DateTimeOffset At, string Code, string Name, Address? Address, string PreviousCode,
    string PreviousName, Address? PreviousAddress) : IHasIntegrationEvent
{
    // The kind never changes; consumers keep it from the opening.
    public IIntegrationEvent? ToIntegrationEvent(EventMeta m) => Code == PreviousCode && Name == PreviousName
        ? null
        : new Contracts.LocationUpdated(m.EventId, m.Tenant, At, Id.ToString(), "", Code, Name);
}

internal sealed record LocationDeactivated(Guid Id, DateTimeOffset At, string? Reason) : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) => new Contracts.LocationStatusChanged(m.EventId, m.Tenant, At, Id.ToString(), false);
}

internal sealed record LocationReactivated(Guid Id, DateTimeOffset At, string? Reason) : IHasIntegrationEvent
{
    public IIntegrationEvent ToIntegrationEvent(EventMeta m) => new Contracts.LocationStatusChanged(m.EventId, m.Tenant, At, Id.ToString(), true);
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

    public static Location Create(LocationOpened e) => new()
    {
        Id = e.Id, Kind = e.Kind, Code = e.Code, CodeKey = Key(e.Kind, e.Code), Name = e.Name, Address = e.Address, IsActive = true,
        CreatedAt = e.At,
    };

    public void Apply(LocationChanged e) => (Code, CodeKey, Name, Address) = (e.Code, Key(Kind, e.Code), e.Name, e.Address);

    public void Apply(LocationDeactivated _) => IsActive = false;

    public void Apply(LocationReactivated _) => IsActive = true;
}

internal sealed record LocationResponse(string Id, long Version, string Code, string Name, Address? Address, bool IsActive, DateTimeOffset CreatedAt)
{
    public static LocationResponse From(Location l) => new(l.Id.ToString(), l.Version, l.Code, l.Name, l.Address, l.IsActive, l.CreatedAt);
}
