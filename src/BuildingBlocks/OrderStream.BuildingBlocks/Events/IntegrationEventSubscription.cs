using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.Web;

namespace OrderStream.BuildingBlocks.Events;

/// <summary>A module's stored event that other modules hear about, as the contract event it publishes.</summary>
public interface IHasIntegrationEvent
{
    /// <summary>Null when this particular change is of no interest to other modules.</summary>
    IIntegrationEvent? ToIntegrationEvent(EventMeta meta);
}

public sealed record EventMeta(Guid EventId, string Tenant, DateTimeOffset OccurredAt);

/// <summary>An event whose handlers kept failing; kept so that nothing is lost silently and support can replay it.</summary>
public sealed class UndeliveredIntegrationEvent
{
    public Guid Id { get; set; }
    public Guid EventId { get; set; }
    public string Tenant { get; set; } = "";
    public string EventType { get; set; } = "";
    public string Handler { get; set; } = "";
    public long Sequence { get; set; }
    public string Error { get; set; } = "";
    public DateTimeOffset FailedAt { get; set; }
}

/// <summary>
/// The outbox is the event store itself (ADR 0003): events committed with the change are handed to the other modules from
/// this Marten subscription, after the commit, at least once. Its progress is stored in the database, so a process that
/// dies after the commit delivers on restart. A failing handler is retried, then recorded; it never fails the writer.
/// </summary>
public sealed class IntegrationEventSubscription : SubscriptionBase
{
    private const int Attempts = 3;
    private const int Concurrency = 4;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<IntegrationEventSubscription> _logger;
    private readonly TimeProvider _clock;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, int> _handlerCounts = new();

    public IntegrationEventSubscription(IServiceScopeFactory scopes, ILogger<IntegrationEventSubscription> logger, TimeProvider clock)
    {
        _scopes = scopes;
        _logger = logger;
        _clock = clock;
        Name = "integration-events";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        // Events of one stream (one user, say) are delivered in order; different streams concurrently, because delivery is
        // bound by database round trips, not by the processor (measured: one at a time kept ~400 events per second).
        var undelivered = new System.Collections.Concurrent.ConcurrentBag<UndeliveredIntegrationEvent>();
        var streams = page.Events.Where(e => e.Data is IHasIntegrationEvent).GroupBy(e => (e.TenantId, e.StreamId));
        await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (stream, ct) =>
            {
                foreach (var e in stream)
                {
                    var integrationEvent = ((IHasIntegrationEvent)e.Data).ToIntegrationEvent(new EventMeta(e.Id, e.TenantId, e.Timestamp));
                    if (integrationEvent is null) continue;
                    var handlerType = typeof(INotificationHandler<>).MakeGenericType(integrationEvent.GetType());
                    var handlers = await HandlerCountAsync(handlerType, e);
                    // Each handler on its own: one that keeps failing neither fails the writer nor starves the other handlers.
                    for (var index = 0; index < handlers; index++)
                    {
                        if (await DeliverAsync(integrationEvent, handlerType, index, e, ct) is not { } error) continue;
                        undelivered.Add(new UndeliveredIntegrationEvent
                        {
                            Id = Guid.CreateVersion7(), EventId = e.Id, Tenant = e.TenantId, EventType = integrationEvent.GetType().Name,
                            Handler = error.Handler, Sequence = e.Sequence, Error = error.Message, FailedAt = _clock.GetUtcNow(),
                        });
                    }
                }
            });
        foreach (var record in undelivered) operations.Store(record);
        return NullChangeListener.Instance;
    }

    private async Task<(string Handler, string Message)?> DeliverAsync(IIntegrationEvent integrationEvent, Type handlerType, int index,
        IEvent e, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var name = handlerType.Name;
            try
            {
                // Handlers are resolved inside the event's tenant scope: their sessions belong to that tenant.
                await using var scope = Scope(e);
                var handler = scope.ServiceProvider.GetServices(handlerType).ElementAt(index)!;
                name = handler.GetType().FullName!;
                await (Task)handlerType.GetMethod(nameof(INotificationHandler<IIntegrationEvent>.Handle))!.Invoke(handler, [integrationEvent, ct])!;
                return null;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var failure = ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : ex;
                _logger.LogWarning(failure, "{Handler} failed on {Event} {EventId} (attempt {Attempt})", name,
                    integrationEvent.GetType().Name, e.Id, attempt);
                if (attempt == Attempts) return (name, failure.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }
        }
    }

    /// <summary>Registrations do not change while running, so each event type's handlers are counted once.</summary>
    private async Task<int> HandlerCountAsync(Type handlerType, IEvent e)
    {
        if (_handlerCounts.TryGetValue(handlerType, out var count)) return count;
        await using var scope = Scope(e);
        return _handlerCounts[handlerType] = scope.ServiceProvider.GetServices(handlerType).Count();
    }

    /// <summary>A scope as the event's tenant, acting as the delivery (caused by the event, in its correlation).</summary>
    private AsyncServiceScope Scope(IEvent e)
    {
        var scope = _scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(e.TenantId);
        var actor = scope.ServiceProvider.GetRequiredService<ActorContext>();
        actor.SystemActor = "integration-events";
        actor.CorrelationId = e.CorrelationId;
        actor.CausationId = e.Id.ToString();
        return scope;
    }
}
