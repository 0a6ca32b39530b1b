using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OrderStream.Modules.Identity.Authentication;

// Usage: OrderStream.LoadTest <url> <tenant> <adminLogin> <adminPassword> <scenario> [count] create N   - creates N
// users without credentials over HTTP with 8 concurrent clients; prints users per second list       - user-list pages
// (search terms, filters, plain pages) one after another; prints p50/p95/p99 hash       - the cost of one credential
// hash at the production iteration count salepoints-seed - 50 sale points, each user at 1-3 of them (issue #4);
// salepoints - sale-point filter and POS login timetravel - asOf decisions and permissions at random past instants, who
// held a feature then, the permission matrix (issue #6) matrix N   - brings the catalogue to N features with the
// tenant's own (some given through roles), then the permission matrix (issue #6) bulk N     - imports N users from CSV
// (dry run, then for real), then changes them in bulk and deactivates them (issue #6) freshness N - N changes, each
// timed from the answer until another module's read model shows it (issue #23)
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: <url> <tenant> <login> <password> create|list|hash [count]");
    return 2;
}
var (url, tenant, login, password, scenario) = (args[0].TrimEnd('/'), args[1], args[2], args[3], args[4]);
var count = args.Length > 5 ? int.Parse(args[5]) : 10_000;

if (scenario == "billing-seed")
{
    await BillingSeed.RunAsync(tenant, count);
    return 0;
}

if (scenario == "salepoints-seed")
{
    await SalePointsSeed.RunAsync(tenant);
    return 0;
}

if (scenario == "roles-seed")
{
    var users = await RolesSeed.RunAsync(tenant);
    // The users the HTTP load asks about, for the wrk script; kept beside a kept database (bench-host.sh).
    await File.WriteAllTextAsync(
        Environment.GetEnvironmentVariable("USERS_LUA") ?? Path.Combine(Path.GetTempPath(), "orderstream-users.lua"),
        "users = {" + string.Join(",", users.Take(2000).Select(u => $"\"{u}\"")) + "}\n"
    );
    return 0;
}

if (scenario == "engine-load")
{
    await RolesSeed.MeasureLoadAsync(tenant);
    return 0;
}

if (scenario == "bare")
{
    // The yardstick of issue #3: a bare ASP.NET Core endpoint returning constant JSON, on this machine, in the same
    // run.
    var bare = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
    bare.Logging.ClearProviders();
    var app = bare.Build();
    Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPost(app, "/bare", () =>
        Microsoft.AspNetCore.Http.Results.Json(
            new
            {
                allowed = true,
                qualifier = 1,
                unlimited = false,
            }
        )
    );
    app.Urls.Add(url);
    await app.RunAsync();
    return 0;
}

if (scenario == "hash")
{
    var hasher = new CredentialHasher(CredentialHasher.DefaultIterations, CredentialHasher.DefaultPinIterations);
    hasher.Hash("warm-up");
    var samples = Enumerable.Range(0, 30).Select(_ => Time(() => hasher.Hash("correct-horse-battery"))).ToList();
    Report($"password hash (PBKDF2-SHA256, {CredentialHasher.DefaultIterations} iterations)", samples);
    var pins = Enumerable.Range(0, 30).Select(_ => Time(() => hasher.Pins.Hash("4826"))).ToList();
    Report($"PIN hash (PBKDF2-SHA256, {CredentialHasher.DefaultPinIterations} iterations)", pins);
    return 0;
}

var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = 64,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
};
using var http = new HttpClient(handler) { BaseAddress = new Uri(url) };
var logged = await (
    await http.PostAsJsonAsync($"/api/tenants/{tenant}/auth/login", new { loginCode = login, password })
).Content.ReadFromJsonAsync<JsonObject>();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)logged!["token"]!);

// The permission matrix read as a client would, streamed to the end; prints its size and time.
async Task MatrixAsync(string format)
{
    long bytes = 0;
    var matrix = await TimeAsync(async () =>
    {
        using var response = await http.GetAsync(
            $"/api/tenants/{tenant}/reports/permission-matrix?format={format}",
            HttpCompletionOption.ResponseHeadersRead
        );
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        for (int read; (read = await body.ReadAsync(buffer)) > 0; )
            bytes += read;
    });
    Console.WriteLine($"permission matrix ({format}): {bytes / 1_000_000.0:F1} MB in {matrix / 1000:F2} s");
}

string[] first =
[
    "Anna",
    "Bernd",
    "Clara",
    "Dieter",
    "Eva",
    "Franz",
    "Greta",
    "Hans",
    "Ines",
    "Jürgen",
    "Karin",
    "Lukas",
    "Zoë",
    "Šime",
];
string[] last =
[
    "Gruber",
    "Huber",
    "Müller",
    "Wagner",
    "Steiner",
    "Moser",
    "Mayer",
    "Bauer",
    "Egger",
    "Pichler",
    "Šimić",
    "Novák",
];

if (scenario == "create")
{
    var prefix = Guid.NewGuid().ToString("N")[..6];
    var next = -1;
    var failures = 0;
    var done = 0;
    var chunk = Stopwatch.StartNew();
    var latencies = new List<double>[8];
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(
        Enumerable
            .Range(0, 8)
            .Select(async worker =>
            {
                latencies[worker] = [];
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var started = Stopwatch.GetTimestamp();
                    var response = await http.PostAsJsonAsync(
                        $"/api/tenants/{tenant}/users",
                        new
                        {
                            firstName = first[i % first.Length],
                            lastName = last[i / first.Length % last.Length] + (i % 7 == 0 ? "-Berger" : ""),
                            loginCode = $"{prefix}{i}",
                            email = $"{prefix}{i}@load.example",
                        }
                    );
                    latencies[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (!response.IsSuccessStatusCode)
                        Interlocked.Increment(ref failures);
                    // Throughput per 10,000 users shows the JIT warm-up apart from the steady state.
                    if (Interlocked.Increment(ref done) % 10_000 == 0)
                        lock (chunk)
                        {
                            Console.WriteLine(
                                $"  users {done - 9_999}-{done}: {10_000 / chunk.Elapsed.TotalSeconds:F0} per second"
                            );
                            chunk.Restart();
                        }
                }
            })
    );
    watch.Stop();
    Console.WriteLine(
        $"created {count - failures} users ({failures} failed) in {watch.Elapsed.TotalSeconds:F1} s: "
            + $"{count / watch.Elapsed.TotalSeconds:F0} per second, 8 clients"
    );
    Report("create latency", latencies.SelectMany(l => l).ToList());
    return failures == 0 ? 0 : 1;
}

if (scenario == "list")
{
    string[] queries =
    [
        "users",
        "users?page=20",
        "users?search=muller",
        "users?search=gruber&pageSize=50",
        "users?search=zoe",
        "users?search=load.example&page=3",
        "users?status=all&sort=createdAt&order=desc",
        "users?search=ines%20egg",
        "users?search=nov",
        "users?type=accountExecutive",
        "users?search=berger&status=all",
    ];
    foreach (var q in queries)
        await http.GetAsync($"/api/tenants/{tenant}/{q}"); // warm-up
    var all = new List<double>();
    foreach (var q in queries)
    {
        var samples = new List<double>();
        for (var i = 0; i < 40; i++)
            samples.Add(
                await TimeAsync(async () =>
                    (await http.GetAsync($"/api/tenants/{tenant}/{q}")).EnsureSuccessStatusCode()
                )
            );
        var total = (long)(await http.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/{q}"))!["total"]!;
        Report($"{q} (total {total})", samples);
        all.AddRange(samples);
    }
    Report("all user-list queries", all);
    return 0;
}

if (scenario == "billing")
{
    string[] queries =
    [
        "billing/statements/2026-10",
        "billing/statements/2024-03",
        "billing/statements/2022-01",
        "billing/statements/2026-10?format=csv",
        "billing/statements?from=2021-11&to=2026-10",
    ];
    // The first request loads every account (as the first one after any change does); reported apart from the rest.
    var cold = await TimeAsync(async () =>
        (await http.GetAsync($"/api/tenants/{tenant}/{queries[0]}")).EnsureSuccessStatusCode()
    );
    Console.WriteLine($"first statement after start (accounts loaded from the database): {cold:F0} ms");
    foreach (var q in queries)
        (await http.GetAsync($"/api/tenants/{tenant}/{q}")).EnsureSuccessStatusCode(); // warm-up
    foreach (var q in queries)
    {
        var samples = new List<double>();
        for (var i = 0; i < 20; i++)
            samples.Add(
                await TimeAsync(async () =>
                    (await http.GetAsync($"/api/tenants/{tenant}/{q}")).EnsureSuccessStatusCode()
                )
            );
        Report(q, samples);
    }
    // One account changes (a new user, recorded by Billing a moment later): the next statement reads just that account.
    (
        await http.PostAsJsonAsync(
            $"/api/tenants/{tenant}/users",
            new
            {
                firstName = "Late",
                lastName = "Comer",
                loginCode = "late" + Guid.NewGuid().ToString("N")[..8],
            }
        )
    ).EnsureSuccessStatusCode();
    await Task.Delay(3000);
    var changed = await TimeAsync(async () =>
        (await http.GetAsync($"/api/tenants/{tenant}/{queries[0]}")).EnsureSuccessStatusCode()
    );
    Console.WriteLine($"first statement after one account changed: {changed:F0} ms");
    return 0;
}

if (scenario == "freshness")
{
    // Issue #23 item 8: how soon a committed change shows in another module's read model, one change at a time on an
    // idle service (the daemon then polls at its slowest). Identity: a sale point given to a user in the user list's
    // sale-point filter; Billing: a deactivated user in this month's statement.
    var api = $"/api/tenants/{tenant}";
    var code = "F" + Guid.NewGuid().ToString("N")[..6];
    var salePoint = await (
        await http.PostAsJsonAsync($"{api}/sale-points", new { code, name = $"Freshness {code}" })
    ).Content.ReadFromJsonAsync<JsonObject>();
    var role = (await http.GetFromJsonAsync<JsonObject>($"{api}/roles"))!["items"]![0]!["id"]!.ToString();
    var month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
    var billing = new List<double>();
    var filter = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var user = await (
            await http.PostAsJsonAsync(
                $"{api}/users",
                new
                {
                    firstName = "Fresh",
                    lastName = "Fresh " + new string((char)('a' + i % 26), 1 + i / 26), // letters only
                    loginCode = $"{code}-{i}",
                }
            )
        ).Content.ReadFromJsonAsync<JsonObject>();
        var id = (string)user!["id"]!;

        await Task.Delay(1_500);
        var added = await http.PostAsJsonAsync(
            $"{api}/users/{id}/sale-points",
            new { salePointId = (string)salePoint!["id"]!, roleId = role }
        );
        added.EnsureSuccessStatusCode();
        var listed = $"{api}/users?salePointId={salePoint["id"]}&search={code}-{i}";
        var given = Stopwatch.StartNew();
        while ((int)(await http.GetFromJsonAsync<JsonObject>(listed))!["total"]! == 0)
            if (given.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"user {id} not in the sale-point filter after 30 s");
        filter.Add(given.Elapsed.TotalMilliseconds);

        // Created this month, a user is billed only once deactivated in it (ADR 0008).
        await Task.Delay(1_500);
        var deactivated = await http.PostAsJsonAsync($"{api}/users/{id}/deactivate", new { reason = "left" });
        deactivated.EnsureSuccessStatusCode();
        var billed = Stopwatch.StartNew();
        while (!(await http.GetStringAsync($"{api}/billing/statements/{month}")).Contains(id))
            if (billed.Elapsed > TimeSpan.FromSeconds(30))
                throw new TimeoutException($"user {id} not in the statement after 30 s");
        billing.Add(billed.Elapsed.TotalMilliseconds);
    }
    Report("a sale point given to a user, in the user list's sale-point filter, after the answer", filter);
    Report("a deactivated user in this month's billing statement, after the answer", billing);
    return 0;
}

if (scenario == "salepoints")
{
    var salePoints = (await http.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/sale-points"))!["items"]!
        .AsArray()
        .Select(s => (string)s!["id"]!)
        .ToList();
    // The sale-point filter of the user list (issue #4): alone, with a search, deeper pages, another order.
    var queries = salePoints
        .Take(4)
        .SelectMany(id =>
            new[]
            {
                $"users?salePointId={id}",
                $"users?salePointId={id}&search=muller",
                $"users?salePointId={id}&page=20",
                $"users?salePointId={id}&status=all&sort=createdAt&order=desc",
            }
        )
        .ToArray();
    foreach (var q in queries)
        (await http.GetAsync($"/api/tenants/{tenant}/{q}")).EnsureSuccessStatusCode(); // warm-up
    var all = new List<double>();
    foreach (var q in queries)
    {
        var samples = new List<double>();
        for (var i = 0; i < 20; i++)
            samples.Add(
                await TimeAsync(async () =>
                    (await http.GetAsync($"/api/tenants/{tenant}/{q}")).EnsureSuccessStatusCode()
                )
            );
        var total = (long)(await http.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/{q}"))!["total"]!;
        Report($"{q[..Math.Min(q.Length, 90)]} (total {total})", samples);
        all.AddRange(samples);
    }
    Report("all sale-point list queries", all);

    // POS login, PIN hash included, 8 concurrent clients, 200 users of one sale point taking turns.
    var here = salePoints[0];
    var cashiers = (
        await http.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/users?salePointId={here}&pageSize=200")
    )!["items"]!
        .AsArray()
        .Select(u => ((string)u!["id"]!, (string)u["loginCode"]!))
        .ToList();
    foreach (var (id, _) in cashiers)
        (
            await http.PutAsJsonAsync($"/api/tenants/{tenant}/users/{id}/pin", new { pin = "4826" })
        ).EnsureSuccessStatusCode();
    using var anonymous = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
    {
        BaseAddress = new Uri(url),
    };
    async Task<double> PosLogIn(int i) =>
        await TimeAsync(async () =>
            (
                await anonymous.PostAsJsonAsync(
                    $"/api/tenants/{tenant}/auth/pos-login",
                    new
                    {
                        salePointId = here,
                        loginCode = cashiers[i % cashiers.Count].Item2,
                        pin = "4826",
                    }
                )
            ).EnsureSuccessStatusCode()
        );
    for (var i = 0; i < 32; i++)
        await PosLogIn(i); // warm-up
    var next = -1;
    var logins = new List<double>[8];
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(
        Enumerable
            .Range(0, 8)
            .Select(async worker =>
            {
                logins[worker] = [];
                int i;
                while ((i = Interlocked.Increment(ref next)) < 800)
                    logins[worker].Add(await PosLogIn(i));
            })
    );
    Console.WriteLine(
        $"POS logins: 800 in {watch.Elapsed.TotalSeconds:F1} s = {800 / watch.Elapsed.TotalSeconds:F0} per second, 8 "
            + $"clients"
    );
    Report("POS login (PIN hash included), 8 clients", logins.SelectMany(l => l).ToList());
    return 0;
}

if (scenario == "timetravel")
{
    // Users to ask about, and the span of the tenant's history (history.sql wrote it).
    var ids = new List<string>();
    for (var page = 1; page <= 10; page++)
        ids.AddRange(
            (
                await http.GetFromJsonAsync<JsonObject>(
                    $"/api/tenants/{tenant}/users?pageSize=200&page={page}&sort=createdAt"
                )
            )!["items"]!
                .AsArray()
                .Select(u => (string)u!["id"]!)
        );
    var firstEvent = (await http.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/audit?pageSize=1"))!;
    var total = (long)firstEvent["total"]!;
    var newest = DateTimeOffset.UtcNow;
    var start = (DateTimeOffset)
        (await http.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/audit?type=tenant_created"))!["items"]![0]![
            "at"
        ]!;
    Console.WriteLine($"tenant {tenant}: {total} events from {start:O} to now; {ids.Count} users asked about");
    var random = new Random(6);
    DateTimeOffset Instant() => start + (newest - start) * random.NextDouble();
    string AsOf() => Uri.EscapeDataString(Instant().ToString("O"));
    string[] features =
    [
        "manage-order-discounts",
        "can-move-stock",
        "can-see-item-buy-price",
        "can-maintain-user-roles",
    ];
    async Task<double> Check(int i) =>
        await TimeAsync(async () =>
            (
                await http.PostAsJsonAsync(
                    $"/api/tenants/{tenant}/authorization/check",
                    new
                    {
                        userId = ids[i % ids.Count],
                        feature = features[i % features.Length],
                        asOf = Instant(),
                    }
                )
            ).EnsureSuccessStatusCode()
        );
    for (var i = 0; i < 40; i++)
        await Check(i); // warm-up
    var one = new List<double>();
    for (var i = 0; i < 400; i++)
        one.Add(await Check(random.Next(ids.Count)));
    Report("POST /authorization/check with asOf, one client", one);
    var next = -1;
    var many = new List<double>[4];
    await Task.WhenAll(
        Enumerable
            .Range(0, 4)
            .Select(async worker =>
            {
                many[worker] = [];
                int i;
                while ((i = Interlocked.Increment(ref next)) < 800)
                    many[worker].Add(await Check(i * 7919));
            })
    );
    Report("POST /authorization/check with asOf, 4 clients", many.SelectMany(l => l).ToList());
    var listings = new List<double>();
    for (var i = 0; i < 200; i++)
        listings.Add(
            await TimeAsync(async () =>
                (
                    await http.GetAsync(
                        $"/api/tenants/{tenant}/users/{ids[random.Next(ids.Count)]}/effective-permissions?asOf={AsOf()}"
                    )
                ).EnsureSuccessStatusCode()
            )
        );
    Report("GET effective-permissions with asOf", listings);
    var holders = new List<double>();
    for (var i = 0; i < 5; i++)
        holders.Add(
            await TimeAsync(async () =>
                (
                    await http.GetAsync(
                        $"/api/tenants/{tenant}/authorization/holders?feature=manage-order-discounts&minQualifier=20"
                            + $"&asOf={AsOf()}"
                    )
                ).EnsureSuccessStatusCode()
            )
        );
    Report("GET authorization/holders with asOf (whole tenant replayed)", holders);
    foreach (var format in new[] { "csv", "json" })
        await MatrixAsync(format);
    return 0;
}

if (scenario == "matrix")
{
    // Issue #6 names 200 features; the shipped catalogue has fewer, so the tenant adds its own until there are N, and
    // gives each through one of its roles so that their columns are not empty.
    var catalogue = (await http.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/secure-features"))!["items"]!
        .AsArray()
        .Count;
    var roles = (await http.GetFromJsonAsync<JsonObject>($"/api/tenants/{tenant}/roles"))!["items"]!
        .AsArray()
        .Select(r => (string)r!["id"]!)
        .ToList();
    for (var i = 0; catalogue < count; i++)
    {
        var code = $"bench-own-feature-{i}";
        var added = await http.PostAsJsonAsync(
            $"/api/tenants/{tenant}/secure-features",
            new
            {
                code,
                name = $"Bench own feature {i}",
                area = "Bench",
                description = "bench",
            }
        );
        if (added.StatusCode == System.Net.HttpStatusCode.Conflict)
            continue; // added by an earlier run, and counted already
        added.EnsureSuccessStatusCode();
        catalogue++;
        var read = await http.GetAsync($"/api/tenants/{tenant}/roles/{roles[i % roles.Count]}");
        var role = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        var grants = role["grants"]!
            .AsArray()
            .Select(g => new { featureCode = (string)g!["featureCode"]!, qualifier = (int?)g["qualifier"] })
            .Append(new { featureCode = code, qualifier = (int?)null })
            .ToArray();
        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/tenants/{tenant}/roles/{role["id"]}")
        {
            Content = JsonContent.Create(
                new
                {
                    name = (string)role["name"]!,
                    description = (string?)role["description"],
                    grants,
                }
            ),
        };
        edit.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
        (await http.SendAsync(edit)).EnsureSuccessStatusCode();
    }
    Console.WriteLine($"catalogue: {catalogue} features");
    foreach (var format in new[] { "csv", "json", "csv" })
        await MatrixAsync(format);
    return 0;
}

if (scenario == "bulk")
{
    // Fresh codes each run, so the scenario can be run again on the same tenant.
    var run = Guid.NewGuid().ToString("N")[..6];
    async Task<string> Create(string path, object body)
    {
        var response = await http.PostAsJsonAsync($"/api/tenants/{tenant}/{path}", body);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }
    var role = await Create(
        "roles",
        new
        {
            name = $"Bulk {run}",
            description = "bench",
            grants = new[] { new { featureCode = "manage-order-discounts", qualifier = 10 } },
        }
    );
    var other = await Create(
        "roles",
        new
        {
            name = $"Bulk other {run}",
            description = "bench",
            grants = new[] { new { featureCode = "can-move-stock" } },
        }
    );
    await Create("sale-points", new { code = $"SP{run}", name = $"Bench {run}" });
    var store = await Create("stores", new { code = $"ST{run}", name = $"Bench {run}" });
    var csv = new System.Text.StringBuilder("firstName,lastName,loginCode,email,roles,salePoints,stores\n");
    for (var i = 0; i < count; i++)
        csv.Append(
            $"{first[i % first.Length]},{last[i % last.Length]},b{run}{i},b{run}{i}@example.com,Bulk "
                + $"{run},SP{run}:Bulk {run},ST{run}\n"
        );
    async Task<(JsonObject Result, double Ms)> Send(Func<Task<HttpResponseMessage>> call)
    {
        JsonObject? result = null;
        var ms = await TimeAsync(async () =>
        {
            var response = await call();
            response.EnsureSuccessStatusCode();
            result = await response.Content.ReadFromJsonAsync<JsonObject>();
        });
        return (result!, ms);
    }
    void Print(string what, (JsonObject Result, double Ms) answer) =>
        Console.WriteLine(
            $"{what}: {answer.Result["rows"]} rows in {answer.Ms / 1000:F1} s "
                + $"({answer.Ms / (int)answer.Result["rows"]!:F1} ms a row); "
                + $"changed {answer.Result["changed"]}, unchanged {answer.Result["unchanged"]}, failed "
                + $"{answer.Result["failed"]}"
        );
    Task<HttpResponseMessage> Import(bool dryRun) =>
        http.PostAsync(
            $"/api/tenants/{tenant}/users/import?dryRun={dryRun}",
            new StringContent(csv.ToString(), System.Text.Encoding.UTF8, "text/csv")
        );
    Print("POST /users/import, dry run", await Send(() => Import(true)));
    var imported = await Send(() => Import(false));
    Print("POST /users/import", imported);
    var ids = imported.Result["results"]!.AsArray().Select(r => (string)r!["userId"]!).ToArray();
    // Issue #22: the first decisions about users the engine has not loaded yet (imported a moment ago), then again.
    var checks = new { checks = ids.Select(id => new { userId = id, feature = "manage-order-discounts" }).ToArray() };
    foreach (var pass in new[] { "first", "again" })
    {
        var ms = await TimeAsync(async () =>
            (
                await http.PostAsJsonAsync($"/api/tenants/{tenant}/authorization/check-many", checks)
            ).EnsureSuccessStatusCode()
        );
        Console.WriteLine(
            $"POST /authorization/check-many, {ids.Length} checks of the imported users, {pass}: {ms:F0} ms"
        );
    }
    object Change(bool dryRun) =>
        new
        {
            dryRun,
            userIds = ids,
            assignRoles = new[] { new { roleId = other } },
            removeRoles = new[] { role },
            removeStores = new[] { store },
        };
    Print(
        "POST /users/bulk (a role given, one taken, a store removed), dry run",
        await Send(() => http.PostAsJsonAsync($"/api/tenants/{tenant}/users/bulk", Change(true)))
    );
    Print(
        "POST /users/bulk (a role given, one taken, a store removed)",
        await Send(() => http.PostAsJsonAsync($"/api/tenants/{tenant}/users/bulk", Change(false)))
    );
    Print(
        "POST /users/bulk deactivate",
        await Send(() =>
            http.PostAsJsonAsync(
                $"/api/tenants/{tenant}/users/bulk",
                new
                {
                    userIds = ids,
                    deactivate = true,
                    reason = "bench",
                }
            )
        )
    );
    return 0;
}

Console.Error.WriteLine($"unknown scenario {scenario}");
return 2;

static double Time(Action action)
{
    var started = Stopwatch.GetTimestamp();
    action();
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

static async Task<double> TimeAsync(Func<Task> action)
{
    var started = Stopwatch.GetTimestamp();
    await action();
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

static void Report(string what, List<double> samples)
{
    samples.Sort();
    double P(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
    Console.WriteLine(
        $"{what}: n={samples.Count} p50={P(0.50):F1} ms p95={P(0.95):F1} ms p99={P(0.99):F1} ms max={samples[^1]:F1} ms"
    );
}
