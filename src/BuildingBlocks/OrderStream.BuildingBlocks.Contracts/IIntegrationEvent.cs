using MediatR;

namespace OrderStream.BuildingBlocks.Contracts;

/// <summary>
/// An event one module publishes for others. Delivered after the commit, at least once:
/// handlers must be idempotent, keyed on <see cref="EventId"/>.
/// </summary>
public interface IIntegrationEvent : INotification
{
    Guid EventId { get; }
    string Tenant { get; }
    DateTimeOffset OccurredAt { get; }
}
