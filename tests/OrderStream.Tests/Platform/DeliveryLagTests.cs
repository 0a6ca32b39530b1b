using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Platform;

/// <summary>What readiness says about event delivery counts events, not the sequence's numbers.</summary>
public sealed class DeliveryLagTests
{
    [Fact]
    public async Task A_number_the_sequence_gave_to_a_rolled_back_write_is_not_an_event_behind()
    {
        await using var api = new ApiFactory();
        var admin = await api.CreateTenantAsync();
        await admin.CreateUserAsync(
            new
            {
                firstName = "Eva",
                lastName = "Gap",
                loginCode = "egap",
            }
        );
        await api.WaitForDeliveryAsync();
        // What a write that rolled back leaves: a number taken from the sequence, and no event with it.
        var schema = api.Services.GetRequiredService<IDocumentStore>().Options.Events.DatabaseSchemaName;
        await using (var db = NpgsqlDataSource.Create(api.ConnectionString))
            await db.CreateCommand($"select nextval('{schema}.mt_events_sequence')").ExecuteScalarAsync();

        var ready = await api.CreateClient().GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var delivery = (await ready.ReadAsync())["checks"]!["event-delivery"]!;
        Assert.Equal("0 event(s) not delivered yet.", (string)delivery["description"]!);
    }
}
