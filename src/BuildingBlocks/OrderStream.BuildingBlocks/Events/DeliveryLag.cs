using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OrderStream.BuildingBlocks.Persistence;

namespace OrderStream.BuildingBlocks.Events;

/// <summary>
/// Readiness reports how far event delivery is behind the event store (issue #22): degraded, still ready, from
/// <see cref="FallingBehind"/> events, when other modules' read models (billing, the user list's sale points) lag.
/// </summary>
public sealed class DeliveryLag(IDocumentStore store, NpgsqlDataSource db) : IHealthCheck
{
    public const long FallingBehind = 10_000;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            // The last event's number, not the sequence's: a write that rolled back took a number and left no event
            // (and the store's statistics count every event and stream, which grows slow with them).
            await using var last = db.CreateCommand(
                $"select coalesce(max(seq_id), 0) from {MartenSetup.EventsSchema}.mt_events"
            );
            var stored = (long)(await last.ExecuteScalarAsync(ct))!;
            var delivered = (await store.Advanced.AllProjectionProgress(token: ct))
                .Where(p => p.ShardName.StartsWith("integration-events", StringComparison.Ordinal))
                .Select(p => p.Sequence)
                .DefaultIfEmpty(0)
                .Max();
            var behind = Math.Max(0, stored - delivered);
            var description = $"{behind} event(s) not delivered yet.";
            return behind >= FallingBehind
                ? HealthCheckResult.Degraded(description)
                : HealthCheckResult.Healthy(description);
        }
        // The database's own state is the PostgreSQL check's to report.
        catch (Exception e) when (Persistence.DatabaseFaults.IsUnavailable(e))
        {
            return HealthCheckResult.Healthy("Not known while the database does not answer.");
        }
    }
}
