using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace OrderStream.Tests.TestKit;

public static class Delivery
{
    /// <summary>Waits until the integration-event subscription has handed over every event stored so far.</summary>
    public static async Task WaitForDeliveryAsync(this ApiFactory api)
    {
        var store = api.Services.GetRequiredService<IDocumentStore>();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            var stored = (await store.Advanced.FetchEventStoreStatistics()).EventSequenceNumber;
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
