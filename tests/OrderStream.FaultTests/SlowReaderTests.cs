using System.Net;
using System.Text;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.FaultTests;

/// <summary>
/// Issue #22: streamed reports held a pooled connection for as long as their client took to read, and 120 slow readers
/// exhausted both pools. Readers that take their time must not keep anyone else from the database.
/// </summary>
public sealed class SlowReaderTests
{
    [Fact]
    public async Task Slow_readers_of_the_reports_hold_no_connection_others_need()
    {
        await using var pg = await OwnPostgres.StartAsync();
        // A pool of six: a slow reader that held a connection would leave the others nothing well before the 30th.
        await using var api = new ApiFactory(pg.ConnectionString + ";Maximum Pool Size=6;Timeout=2", null);
        var admin = await api.CreateTenantAsync();
        var rows = Enumerable
            .Range(0, 600)
            .Select(i => $"Lena,Lang{new string((char)('a' + i % 26), 1 + i / 26)},lang{i},BusinessGroupManager");
        var imported = await admin.Http.PostAsync(
            admin.Url("users/import"),
            new StringContent(
                "firstName,lastName,loginCode,type\n" + string.Join('\n', rows),
                Encoding.UTF8,
                "text/csv"
            )
        );
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        // Thirty readers of each report take the answer's head and leave the body unread for now.
        var readers = new List<HttpResponseMessage>();
        try
        {
            string[] reports = ["reports/permission-matrix?format=csv", "reports/back-office-users?format=csv"];
            foreach (var report in reports)
                for (var i = 0; i < 30; i++)
                {
                    var response = await admin.Http.SendAsync(
                        new HttpRequestMessage(HttpMethod.Get, admin.Url(report)),
                        HttpCompletionOption.ResponseHeadersRead
                    );
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    readers.Add(response);
                }

            // Meanwhile everyone else is answered at once, and the instance stays ready.
            for (var i = 0; i < 20; i++)
                Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"users?search=lang{i}")).StatusCode);
            var ready = await (await api.CreateClient().GetAsync("/health/ready")).ReadAsync();
            Assert.Equal("Healthy", (string)ready["checks"]!["postgres"]!["status"]!);

            // Read at last, every answer is whole: a header and a line per user (the administrator too).
            foreach (var response in readers)
            {
                var lines = (await response.Content.ReadAsStringAsync()).Split(
                    '\n',
                    StringSplitOptions.RemoveEmptyEntries
                );
                Assert.True(lines.Length >= 601, $"{response.RequestMessage!.RequestUri}: {lines.Length} lines");
            }
        }
        finally
        {
            foreach (var response in readers)
                response.Dispose();
        }
    }
}
