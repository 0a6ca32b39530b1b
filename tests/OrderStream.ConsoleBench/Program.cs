using System.Diagnostics;
using Microsoft.Playwright;

// Usage: OrderStream.ConsoleBench <url> <tenant> <login> <password> [trials]
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: <url> <tenant> <login> <password> [trials]");
    return 2;
}
var (url, tenant, login, password) = (args[0].TrimEnd('/'), args[1], args[2], args[3]);
var trials = args.Length > 4 ? int.Parse(args[4]) : 40;
const int Debounce = 300; // the user list's DebounceInterval: the typing pause the figures start after

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(
    new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    }
);

// 1. First load with a cold cache: every byte the browser fetched, and the time until the sign-in form can be used.
var loads = new List<double>();
var sizes = new List<long>();
for (var i = 0; i < 5; i++)
{
    await using var cold = await browser.NewContextAsync(new() { BaseURL = url });
    var page = await cold.NewPageAsync();
    long bytes = 0;
    var listing = i == 0 && Environment.GetEnvironmentVariable("BENCH_REQUESTS") == "1";
    var pending = new List<Task>();
    page.RequestFinished += (_, request) =>
        pending.Add(
            Task.Run(async () =>
            {
                var size = await request.SizesAsync();
                Interlocked.Add(ref bytes, size.ResponseBodySize + size.ResponseHeadersSize);
                // BENCH_REQUESTS=1: what the first load fetched, request by request (body + headers, bytes).
                if (listing)
                    Console.WriteLine($"{size.ResponseBodySize + size.ResponseHeadersSize, 9} {request.Url}");
            })
        );
    var started = Stopwatch.StartNew();
    await page.GotoAsync($"/{tenant}/sign-in");
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).WaitForAsync();
    loads.Add(started.Elapsed.TotalMilliseconds);
    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    await Task.WhenAll(pending.ToArray());
    sizes.Add(bytes);
}
Console.WriteLine(
    $"first load, cold cache: {sizes.Average() / 1_000_000:F2} MB transferred "
        + $"({sizes.Min() / 1_000_000.0:F2}–{sizes.Max() / 1_000_000.0:F2}); interactive after "
        + $"{Median(loads):F0} ms median ({loads.Min():F0}–{loads.Max():F0})"
);

// 2. Signed in, on the user list: search as you type, then opening user forms.
await using var context = await browser.NewContextAsync(
    new()
    {
        BaseURL = url,
        ViewportSize = new() { Width = 1280, Height = 800 },
    }
);
var list = await context.NewPageAsync();
await list.GotoAsync($"/{tenant}/sign-in");
await list.GetByLabel("Login code").FillAsync(login);
await list.GetByLabel("Password").FillAsync(password);
await list.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
var total = list.GetByTestId("user-total");
await total.WaitForAsync();
string[] terms = ["gruber", "huber", "mül", "wagner", "stein", "moser", "anna", "bernd", "clara", "dieter", "eva"];
var searches = new List<double>();
var search = list.GetByLabel("Search");
for (var i = 0; i < trials; i++)
{
    var term = terms[i % terms.Length];
    await search.FillAsync("");
    await list.WaitForTimeoutAsync(Debounce + 200);
    var before = await total.TextContentAsync();
    await search.PressSequentiallyAsync(term, new() { Delay = 60 });
    var typed = Stopwatch.StartNew();
    await list.WaitForFunctionAsync(
        "before => document.querySelector('[data-testid=user-total]').textContent !== before",
        before,
        new() { PollingInterval = 5 }
    );
    searches.Add(typed.Elapsed.TotalMilliseconds - Debounce);
}
Report("search as you type, result on screen after the typing pause", searches);

// A person reads the list before choosing a name: the list's own loading (filters, roles) is not the form's time.
const int Reading = 500;
var opens = new List<double>();
await search.FillAsync("");
for (var i = 0; i < trials; i++)
{
    await list.GotoAsync($"/{tenant}/users");
    var link = list.GetByTestId("user-list").Locator("a.user-name").Nth(i % 20);
    await link.WaitForAsync();
    await list.WaitForTimeoutAsync(Reading);
    opens.Add((await OpenAsync(link)).Shown);
}
Report("opening a user form from a freshly loaded list, until its fields show the user", opens);

// As an administrator works through users: back to the list by the console's own link, no page load between.
var working = new List<double>();
var answered = new List<double>();
for (var i = 0; i < trials; i++)
{
    await list.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).First.ClickAsync();
    var link = list.GetByTestId("user-list").Locator("a.user-name").Nth(i % 20);
    await link.WaitForAsync();
    await list.WaitForTimeoutAsync(Reading);
    var (shown, lastAnswer) = await OpenAsync(link);
    working.Add(shown);
    answered.Add(lastAnswer);
}
Report("opening a user form from the list within a session, until its fields show the user", working);
Report("  of which until the form's last API answer had arrived", answered);
return 0;

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static void Report(string what, List<double> samples)
{
    var sorted = samples.Order().ToList();
    double At(double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    Console.WriteLine(
        $"{what}: p50 {At(0.50):F0} ms, p95 {At(0.95):F0} ms, max {sorted[^1]:F0} ms ({samples.Count} trials)"
    );
}

// Timed in the page, from the click event to the first frame whose name field shows the user, and until the form's
// last API answer arrived (resource timing): Playwright's checks before it clicks are not the administrator's wait.
async Task<(double Shown, double Answered)> OpenAsync(ILocator link)
{
    await list.EvaluateAsync(
        """
        () => {
          window.__clicked = null;
          performance.clearResourceTimings();
          const clicked = () => window.__clicked ??= performance.now();
          document.addEventListener('click', clicked, { capture: true, once: true });
        }
        """
    );
    await link.ClickAsync();
    var shown = await list.WaitForFunctionAsync(
        """
        () => window.__clicked != null && document.querySelector('#first-name')?.value.length > 0
          ? performance.now() - window.__clicked : null
        """
    );
    var answers = await list.EvaluateAsync<double>(
        """
        () => Math.max(0, ...performance.getEntriesByType('resource')
          .filter(e => e.name.includes('/api/') && e.startTime >= window.__clicked)
          .map(e => e.responseEnd - window.__clicked))
        """
    );
    return (await shown.JsonValueAsync<double>(), answers);
}
