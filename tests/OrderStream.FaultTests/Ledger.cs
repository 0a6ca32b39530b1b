using System.Diagnostics;
using System.Net;
using OrderStream.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace OrderStream.FaultTests;

/// <summary>Asked after every fault: nothing acknowledged lost or doubled, each event delivered once.</summary>
public static class Ledger
{
    /// <summary>
    /// Every acknowledged user is stored, none twice, and Billing has exactly one account for every stored user. (A
    /// write answered 503 may still have committed, if the connection broke after the commit: it was not acknowledged,
    /// so it may be there or not, but then it must be billed too.)
    /// </summary>
    public static async Task AssertEveryUserStoredAndBilledOnceAsync(
        ITestOutputHelper output,
        TenantClient admin,
        IReadOnlyCollection<string> acknowledged
    )
    {
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        var watch = Stopwatch.StartNew();
        var stored = new List<string>();
        for (var page = 1; ; page++)
        {
            var response = await admin.GetAsync($"users?pageSize=100&page={page}&sort=createdAt");
            if (response.StatusCode != HttpStatusCode.OK && watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200);
                page--;
                continue;
            }
            var items = (await response.ReadAsync())["items"]!.AsArray();
            stored.AddRange(items.Select(u => (string)u!["id"]!));
            if (items.Count < 100)
                break;
        }
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Empty(acknowledged.Except(stored));

        // Created this month, a user is billed from the next (ADR 0008): its provisional statement lists every account.
        var month = DateTimeOffset.UtcNow.AddMonths(1).ToString("yyyy-MM");
        List<string> billed = [];
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var statement = await admin.GetAsync($"billing/statements/{month}");
            if (statement.StatusCode == HttpStatusCode.OK)
            {
                billed =
                [
                    .. (await statement.ReadAsync())["employees"]!
                        .AsArray()
                        .SelectMany(e => e!["accounts"]!.AsArray())
                        .Select(a => (string)a!["userId"]!),
                ];
                if (billed.Count >= stored.Count)
                    break;
            }
            await Task.Delay(500);
        }
        output.WriteLine(
            $"{acknowledged.Count} acknowledged, {stored.Count} stored (the administrator among them), "
                + $"{billed.Count} billed, after {watch.Elapsed.TotalSeconds:0.0} s"
        );
        Assert.Equal(billed.Count, billed.Distinct().Count());
        Assert.Equal(stored.Order(), billed.Order());
    }
}
