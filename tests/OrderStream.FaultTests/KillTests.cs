using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace OrderStream.FaultTests;

/// <summary>
/// Issue #22: the service killed with SIGKILL under write load, then started again. Nothing it acknowledged is lost or
/// doubled, and the events it committed but had not handed over are all delivered after the restart, once.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_9_under_write_load_loses_no_acknowledged_write_and_drops_no_event()
    {
        await using var pg = await OwnPostgres.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = pg.ConnectionString,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Security__HashIterations"] = "1000",
            ["RateLimiting__LoginPermitsPerMinute"] = "100000",
        };
        using (
            var bootstrap = Service(
                environment,
                "bootstrap --tenant killed --name Killed --time-zone Europe/Vienna --currency EUR "
                    + $"--admin-login admin --admin-password {TenantClient.AdminPassword}"
            )
        )
        {
            await bootstrap.WaitForExitAsync();
            Assert.Equal(0, bootstrap.ExitCode);
        }
        var port = OwnPostgres.FreePort();
        var acknowledged = new ConcurrentBag<string>();
        var service = Service(environment, $"--urls http://127.0.0.1:{port}");
        try
        {
            var admin = await ReadyAsync(port);
            var writers = Enumerable
                .Range(0, 4)
                .Select(writer =>
                    Task.Run(async () =>
                    {
                        for (var i = 0; ; i++)
                        {
                            HttpResponseMessage response;
                            try
                            {
                                response = await admin.PostAsync(
                                    "users",
                                    TenantClient.NewUser($"K{(char)('a' + writer)}", "Killed", $"k{writer}n{i}")
                                );
                            }
                            catch (HttpRequestException)
                            {
                                return; // the process is gone
                            }
                            if (response.StatusCode == HttpStatusCode.Created)
                                acknowledged.Add(
                                    (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!
                                );
                        }
                    })
                )
                .ToList();
            await Task.Delay(TimeSpan.FromSeconds(3));
            service.Kill(); // SIGKILL: no shutdown, no flush, no last delivery
            await service.WaitForExitAsync();
            await Task.WhenAll(writers);
        }
        finally
        {
            service.Dispose();
        }
        output.WriteLine($"{acknowledged.Count} creations acknowledged before the kill");

        using var restarted = Service(environment, $"--urls http://127.0.0.1:{port}");
        try
        {
            var watch = Stopwatch.StartNew();
            var again = await ReadyAsync(port);
            output.WriteLine($"ready again {watch.Elapsed.TotalSeconds:0.0} s after the restart");
            await Ledger.AssertEveryUserStoredAndBilledOnceAsync(output, again, acknowledged);
        }
        finally
        {
            restarted.Kill();
        }
    }

    /// <summary>The service as an operator runs it: its own process, from its own folder.</summary>
    private static Process Service(Dictionary<string, string> environment, string arguments)
    {
        var start = new ProcessStartInfo("dotnet", $"OrderStream.Host.dll {arguments}")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        // Drained so that a full pipe never blocks the service.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<TenantClient> ReadyAsync(int port)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    break;
            }
            catch (HttpRequestException) { }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the service never became ready");
            await Task.Delay(100);
        }
        var admin = new TenantClient(http, "killed");
        await admin.LogInAsync("admin", TenantClient.AdminPassword);
        return admin;
    }
}
