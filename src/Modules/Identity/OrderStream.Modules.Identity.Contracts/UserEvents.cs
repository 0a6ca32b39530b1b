using OrderStream.BuildingBlocks.Contracts;

namespace OrderStream.Modules.Identity.Contracts;

// What the Identity module tells other modules about users. EmployeeName is "First Last" as entered; consumers that
// compare employees (billing) normalise it themselves.

public sealed record UserCreated(
    Guid EventId,
    string Tenant,
    DateTimeOffset OccurredAt,
    string UserId,
    string EmployeeName,
    string? Type,
    bool IsActive
) : IIntegrationEvent;

public sealed record UserRenamed(
    Guid EventId,
    string Tenant,
    DateTimeOffset OccurredAt,
    string UserId,
    string EmployeeName,
    string PreviousEmployeeName
) : IIntegrationEvent;

public sealed record UserTypeChanged(
    Guid EventId,
    string Tenant,
    DateTimeOffset OccurredAt,
    string UserId,
    string EmployeeName,
    string? Type,
    string? PreviousType
) : IIntegrationEvent;

public sealed record UserDeactivated(
    Guid EventId,
    string Tenant,
    DateTimeOffset OccurredAt,
    string UserId,
    string EmployeeName,
    string? Reason
) : IIntegrationEvent;

public sealed record UserReactivated(
    Guid EventId,
    string Tenant,
    DateTimeOffset OccurredAt,
    string UserId,
    string EmployeeName,
    string? Reason
) : IIntegrationEvent;
