using System.Net;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.BrowserTests;

/// <summary>
/// The real Host on a real socket (its console included) against a database of its own, and Debian's Chromium driven
/// by Playwright; one for all the browser tests.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public ApiFactory Api { get; } = new();
    public string Url { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>What the pages wrote to the browser's console as errors, with the address they were at.</summary>
    public static System.Collections.Concurrent.ConcurrentBag<string> Errors { get; } = [];

    /// <summary>Where screenshots go: the test output folder (CI keeps it); the best are copied to docs.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Api.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        Api.StartServer();
        Url = Api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(
            new()
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args =
                [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            }
        );
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A fresh browser context (its own cookies) at 1280 × 800, or as wide as asked.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(
            new()
            {
                BaseURL = Url,
                ViewportSize = new() { Width = width, Height = height },
                Locale = "en-US",
            }
        );
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // An answer of 401, 403 or 404 that the console shows is logged by the browser too: not the page's error.
            if (
                message.Type == "error"
                && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)
            )
                Errors.Add($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => Errors.Add($"{page.Url}: {error}");
        return page;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Api.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleHost>
{
    public const string Name = "console";
}

/// <summary>What every screen is held to: axe finds no serious or critical violation; a screenshot is kept.</summary>
public static class Screens
{
    private static string Why(AxeResultNode node) => string.Join("; ", node.Any.Select(check => check.Message));

    public static async Task CheckAsync(IPage page, string name)
    {
        // A screen as the user reads it: after its fades (axe would measure a half-faded message's contrast).
        await page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running')");
        await page.ScreenshotAsync(
            new() { Path = Path.Combine(ConsoleHost.Screenshots, name + ".png"), FullPage = true }
        );
        var result = await page.RunAxe();
        var serious = result
            .Violations.Where(v => v.Impact is "serious" or "critical")
            .SelectMany(v => v.Nodes.Select(n => $"{v.Id} ({v.Impact}) at {n.Target}: {Why(n)}"))
            .ToList();
        Assert.True(serious.Count == 0, $"{name}: axe found\n" + string.Join("\n", serious));
        Assert.DoesNotContain(ConsoleHost.Errors, e => e.StartsWith(page.Url + ": ", StringComparison.Ordinal));
    }
}
