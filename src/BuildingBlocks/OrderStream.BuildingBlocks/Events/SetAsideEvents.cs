using System.Reflection;
using JasperFx.Events;
using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Errors;

namespace OrderStream.BuildingBlocks.Events;

/// <summary>
/// The events a handler failed on deterministically, set aside so that the others go on (an outage never sets one
/// aside): listed for an operator, reported by readiness, and handed to the same handler again once it is fixed
/// (issue #22). A redelivery that fails again keeps the event aside with the new error.
/// </summary>
public sealed class SetAsideEvents(IDocumentStore store, IServiceScopeFactory scopes, TimeProvider clock) : IHealthCheck
{
    public async Task<IReadOnlyList<UndeliveredIntegrationEvent>> ListAsync(string tenant, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session
            .Query<UndeliveredIntegrationEvent>()
            .Where(u => u.Tenant == tenant)
            .OrderBy(u => u.Sequence)
            .ToListAsync(ct);
    }

    /// <summary>Hands the event to its handler again: null when it took it (no longer aside), else the error.</summary>
    public async Task<string?> RedeliverAsync(string tenant, Guid id, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var aside = await session.LoadAsync<UndeliveredIntegrationEvent>(id, ct);
        if (aside is null || aside.Tenant != tenant)
            throw new NotFoundException("Event set aside", id.ToString());
        await using var events = store.QuerySession(tenant);
        var stored = await events.Events.LoadAsync(aside.EventId, ct)
            ?? throw new NotFoundException("Event", aside.EventId.ToString());
        var integration = ((IHasIntegrationEvent)stored.Data).ToIntegrationEvent(
            new EventMeta(stored.Id, stored.TenantId, stored.Timestamp)
        )!;
        try
        {
            await using var scope = IntegrationEventSubscription.Scope(scopes, stored, single: true);
            await HandleAsync(scope.ServiceProvider, aside.Handler, integration, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not DomainException)
        {
            aside.Error = ((e as TargetInvocationException)?.InnerException ?? e).Message;
            aside.FailedAt = clock.GetUtcNow();
            session.Store(aside);
            await session.SaveChangesAsync(ct);
            return aside.Error;
        }
        session.Delete(aside);
        await session.SaveChangesAsync(ct);
        return null;
    }

    private static Task HandleAsync(IServiceProvider services, string name, IIntegrationEvent e, CancellationToken ct)
    {
        if (
            services.GetServices<IIntegrationEventBatchHandler>().FirstOrDefault(h => h.GetType().FullName == name) is
            { } batch
        )
            return batch.HandleAsync([e], ct);
        var type = typeof(INotificationHandler<>).MakeGenericType(e.GetType());
        var handler = services.GetServices(type).FirstOrDefault(h => h!.GetType().FullName == name)
            ?? throw new ConflictException($"No handler {name} takes {e.GetType().Name} any more.");
        return (Task)type.GetMethod(nameof(INotificationHandler<IIntegrationEvent>.Handle))!.Invoke(handler, [e, ct])!;
    }

    /// <summary>Readiness: still ready, but degraded while events are set aside, and says how many.</summary>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        int count;
        try
        {
            await using var session = store.QuerySession();
            count = await session.Query<UndeliveredIntegrationEvent>().CountAsync(ct);
        }
        // The database's own state is the PostgreSQL check's to report.
        catch (Exception e) when (Persistence.DatabaseFaults.IsUnavailable(e))
        {
            return HealthCheckResult.Healthy("Not known while the database does not answer.");
        }
        return count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"{count} integration event(s) set aside after their handler failed.");
    }
}
