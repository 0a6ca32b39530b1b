using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderStream.BuildingBlocks.Persistence;

namespace OrderStream.Tests.TestKit;

public static class Delivery
{
    /// <summary>Waits until the integration-event subscription has handed over every event stored so far.</summary>
    public static async Task WaitForDeliveryAsync(this ApiFactory api)
    {
        var store = api.Services.GetRequiredService<IDocumentStore>();
        var db = api.Services.GetRequiredService<NpgsqlDataSource>();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            // The last event's number: a rolled-back write takes a sequence number that no event will ever have.
            await using var last = db.CreateCommand(
                $"select coalesce(max(seq_id), 0) from {MartenSetup.EventsSchema}.mt_events"
            );
            var stored = (long)(await last.ExecuteScalarAsync())!;
            var progress = await store.Advanced.AllProjectionProgress();
            if (
                progress.Any(p =>
                    p.ShardName.StartsWith("integration-events", StringComparison.Ordinal) && p.Sequence >= stored
                )
            )
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException("Integration events were not delivered within 60 seconds.");
    }
}
