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

/// <summary>
/// A handler that takes a tenant's integration events of one delivered page at once, in commit order, so that a burst
/// costs one transaction instead of one per event. It is given the events of the types it <c>Handles</c> only, and must
/// be idempotent. When a whole page keeps failing, its events are retried one at a time, so one bad event holds back no
/// other.
/// </summary>
public interface IIntegrationEventBatchHandler
{
    /// <summary>
    /// The contract events it consumes: what its module says it consumes (the architecture tests hold them equal).
    /// </summary>
    IReadOnlySet<Type> Handles { get; }

    Task HandleAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken ct);
}

public sealed record EventMeta(Guid EventId, string Tenant, DateTimeOffset OccurredAt);

/// <summary>
/// An event whose handlers kept failing; kept so that nothing is lost silently and support can replay it.
/// </summary>
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
/// The outbox is the event store itself (ADR 0003): events committed with the change are handed to the other modules
/// from this Marten subscription, after the commit, at least once. Its progress is stored in the database, so a process
/// that dies after the commit delivers on restart. A failing handler is retried, then recorded; it never fails the
/// writer.
/// </summary>
internal sealed class IntegrationEventSubscription : SubscriptionBase
{
    private const int Attempts = 3;
    private const int Concurrency = 4;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<IntegrationEventSubscription> _logger;
    private readonly TimeProvider _clock;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, int> _handlerCounts = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlySet<Type>> _handles = new();

    public IntegrationEventSubscription(
        IServiceScopeFactory scopes,
        ILogger<IntegrationEventSubscription> logger,
        TimeProvider clock
    )
    {
        _scopes = scopes;
        _logger = logger;
        _clock = clock;
        Name = "integration-events";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page,
        ISubscriptionController controller,
        IDocumentOperations operations,
        CancellationToken cancellationToken
    )
    {
        // Batch handlers first, one call per tenant for the page. Then single-event handlers: events of one stream (one
        // user, say) in order, different streams concurrently, because delivery is bound by database round trips, not
        // by the processor (ADR 0024).
        var undelivered = new System.Collections.Concurrent.ConcurrentBag<UndeliveredIntegrationEvent>();
        var published = page
            .Events.Where(e => e.Data is IHasIntegrationEvent)
            .Select(e =>
                (
                    Stored: e,
                    Event: ((IHasIntegrationEvent)e.Data).ToIntegrationEvent(
                        new EventMeta(e.Id, e.TenantId, e.Timestamp)
                    )
                )
            )
            .Where(x => x.Event is not null)
            .Select(x => (x.Stored, Event: x.Event!))
            .ToList();
        if (published.Count == 0)
            return NullChangeListener.Instance;

        foreach (var tenant in published.GroupBy(x => x.Stored.TenantId))
            await DeliverBatchesAsync(tenant.ToList(), undelivered, cancellationToken);

        var streams = published.GroupBy(x => (x.Stored.TenantId, x.Stored.StreamId));
        await Parallel.ForEachAsync(
            streams,
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (stream, ct) =>
            {
                foreach (var (e, integrationEvent) in stream)
                {
                    var handlerType = typeof(INotificationHandler<>).MakeGenericType(integrationEvent.GetType());
                    var handlers = await HandlerCountAsync(handlerType, e);
                    // Each handler on its own: one that keeps failing neither fails the writer nor starves the other
                    // handlers.
                    for (var index = 0; index < handlers; index++)
                    {
                        if (await DeliverAsync(integrationEvent, handlerType, index, e, ct) is not { } error)
                            continue;
                        undelivered.Add(Undelivered(e, integrationEvent, error));
                    }
                }
            }
        );
        var delivered = TimeProvider.System.GetUtcNow(); // the commit was stamped by a real clock, not a tenant's
        foreach (var (stored, _) in published)
            Telemetry.DeliveryDelay.Record((delivered - stored.Timestamp).TotalMilliseconds);
        foreach (var record in undelivered)
        {
            _logger.LogError(
                "{EventType} {EventId} set aside: {Handler} failed on it {Attempts} times; re-deliver it once fixed",
                record.EventType,
                record.EventId,
                record.Handler,
                Attempts
            );
            operations.Store(record);
            Telemetry.EventsSetAside.Add(1);
        }
        return NullChangeListener.Instance;
    }

    private async Task DeliverBatchesAsync(
        IReadOnlyList<(IEvent Stored, IIntegrationEvent Event)> events,
        System.Collections.Concurrent.ConcurrentBag<UndeliveredIntegrationEvent> undelivered,
        CancellationToken ct
    )
    {
        var handlers = await HandlerCountAsync(typeof(IIntegrationEventBatchHandler), events[0].Stored);
        for (var index = 0; index < handlers; index++)
        {
            var handles = await HandlesAsync(index, events[0].Stored);
            var theirs = events.Where(e => handles.Contains(e.Event.GetType())).ToList();
            if (theirs.Count == 0 || await DeliverBatchAsync(theirs, index, ct) is null)
                continue;
            foreach (var one in theirs)
                if (await DeliverBatchAsync([one], index, ct) is { } error)
                    undelivered.Add(Undelivered(one.Stored, one.Event, error));
        }
    }

    // Many events, so no single causation: the handler's events carry the ids of the events they record.
    private Task<(string Handler, string Message)?> DeliverBatchAsync(
        IReadOnlyList<(IEvent Stored, IIntegrationEvent Event)> events,
        int index,
        CancellationToken ct
    ) =>
        AttemptAsync(
            events[0].Stored,
            events.Count == 1,
            nameof(IIntegrationEventBatchHandler),
            $"{events.Count} events from {events[0].Stored.Id}",
            services => services.GetServices<IIntegrationEventBatchHandler>().ElementAt(index),
            handler => ((IIntegrationEventBatchHandler)handler).HandleAsync(events.Select(x => x.Event).ToList(), ct),
            ct
        );

    private UndeliveredIntegrationEvent Undelivered(
        IEvent e,
        IIntegrationEvent integrationEvent,
        (string Handler, string Message) error
    ) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            EventId = e.Id,
            Tenant = e.TenantId,
            EventType = integrationEvent.GetType().Name,
            Handler = error.Handler,
            Sequence = e.Sequence,
            Error = error.Message,
            FailedAt = _clock.GetUtcNow(),
        };

    private Task<(string Handler, string Message)?> DeliverAsync(
        IIntegrationEvent integrationEvent,
        Type handlerType,
        int index,
        IEvent e,
        CancellationToken ct
    ) =>
        AttemptAsync(
            e,
            true,
            handlerType.Name,
            $"{integrationEvent.GetType().Name} {e.Id}",
            services => services.GetServices(handlerType).ElementAt(index)!,
            handler =>
                (Task)
                    handlerType
                        .GetMethod(nameof(INotificationHandler<IIntegrationEvent>.Handle))!
                        .Invoke(handler, [integrationEvent, ct])!,
            ct
        );

    /// <summary>
    /// Runs one handler, resolved inside the event's tenant scope (its sessions belong to that tenant), up to three
    /// times; answers null when it succeeded, else the handler's name and the last failure.
    /// </summary>
    private async Task<(string Handler, string Message)?> AttemptAsync(
        IEvent e,
        bool single,
        string name,
        string what,
        Func<IServiceProvider, object> resolve,
        Func<object, Task> handle,
        CancellationToken ct
    )
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = Scope(e, single);
                var handler = resolve(scope.ServiceProvider);
                name = handler.GetType().FullName!;
                await handle(handler);
                Telemetry.EventsDelivered.Add(1);
                return null;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && Persistence.DatabaseFaults.IsUnavailable(ex))
            {
                // An outage is never a reason to set an event aside (issue #22): wait, then deliver it all the same.
                _logger.LogWarning(
                    "{Handler} could not reach the database on {Events}; delivery waits and tries again",
                    name,
                    what
                );
                attempt--;
                Telemetry.DeliveryWaits.Add(1);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var failure = ex is System.Reflection.TargetInvocationException { InnerException: { } inner }
                    ? inner
                    : ex;
                _logger.LogWarning(
                    Errors.LoggedException.Safe(failure),
                    "{Handler} failed on {Events} (attempt {Attempt})",
                    name,
                    what,
                    attempt
                );
                if (attempt == Attempts)
                    return (name, failure.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }
        }
    }

    /// <summary>Registrations do not change while running, so each event type's handlers are counted once.</summary>
    private async Task<int> HandlerCountAsync(Type handlerType, IEvent e)
    {
        if (_handlerCounts.TryGetValue(handlerType, out var count))
            return count;
        await using var scope = Scope(e);
        return _handlerCounts[handlerType] = scope.ServiceProvider.GetServices(handlerType).Count();
    }

    /// <summary>
    /// What the batch handler at <paramref name="index"/> consumes; registrations do not change while running.
    /// </summary>
    private async Task<IReadOnlySet<Type>> HandlesAsync(int index, IEvent e)
    {
        if (_handles.TryGetValue(index, out var handles))
            return handles;
        await using var scope = Scope(e);
        return _handles[index] = scope
            .ServiceProvider.GetServices<IIntegrationEventBatchHandler>()
            .ElementAt(index)
            .Handles;
    }

    private AsyncServiceScope Scope(IEvent e, bool single = true) => Scope(_scopes, e, single);

    /// <summary>
    /// A scope as the event's tenant, acting as the delivery (caused by the event, in its correlation).
    /// </summary>
    internal static AsyncServiceScope Scope(IServiceScopeFactory scopes, IEvent e, bool single)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(e.TenantId);
        var actor = scope.ServiceProvider.GetRequiredService<ActorContext>();
        actor.SystemActor = "integration-events";
        actor.CorrelationId = single ? e.CorrelationId : null;
        actor.CausationId = single ? e.Id.ToString() : null;
        return scope;
    }
}
