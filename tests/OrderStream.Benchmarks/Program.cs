using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.Roles.Decisions.Engine;
using OrderStream.Modules.Roles.Grants;
using OrderStream.Modules.Roles.Roles;

// 1. BenchmarkDotNet: decisions per second on one thread, and listing one user's effective permissions. 2. Per-call
// latency percentiles (BenchmarkDotNet reports means of iterations, not single calls): each call timed alone. `--
// --latency-only` skips part 1.
if (!args.Contains("--latency-only"))
    BenchmarkRunner.Run<DecisionBenchmarks>(args: args.Where(a => a != "--latency-only").ToArray());

var engine = Tenant.Build();
var random = new Random(7);
UserEntry AnyUser() => engine.Access.User(engine.Users[random.Next(engine.Users.Length)])!;
var features = engine.Features.Select(engine.Access.Feature).ToArray();

Report(
    "decision (Holds), per call",
    PerCall(
        1_000_000,
        () =>
            (
                User: engine.Users[random.Next(engine.Users.Length)],
                Feature: engine.Features[random.Next(engine.Features.Length)]
            ),
        c => engine.Access.Holds(c.User, c.Feature, 1)
    )
);

// What POST /authorization/check answers: the decision with its reasons (the roles and grants that give the feature).
WarmUp(() => Explain.Decide(engine.Access, AnyUser(), features[random.Next(features.Length)]!, 1, null, null));
Report(
    "decision with its reasons (Explain.Decide), per call",
    PerCall(
        200_000,
        () => (User: AnyUser(), Feature: features[random.Next(features.Length)]!),
        c => Explain.Decide(engine.Access, c.User, c.Feature, 1, null, null)
    )
);
GC.Collect();
GC.WaitForPendingFinalizers();
GC.Collect();
WarmUp(() => DecisionBenchmarks.List(engine.Access, AnyUser()));
var collections = GC.CollectionCount(0);
var listings = PerCall(20_000, AnyUser, user => DecisionBenchmarks.List(engine.Access, user));
Report("effective permissions of one user, per call", listings);
Console.WriteLine(
    $"  ({GC.CollectionCount(0) - collections} gen-0 collections during those calls, "
        + $"{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC)"
);

// The machine's own noise floor: a fixed computation of about the listing's median, timed the same way. Its tail is
// what the machine (interrupts, other processes, the hypervisor) adds to any call of that length, whatever the code
// does.
var spins = 1000;
long sink = 0;
double Timed()
{
    var started = Stopwatch.GetTimestamp();
    sink += Spin(spins);
    return Stopwatch.GetElapsedTime(started).TotalMicroseconds;
}
WarmUp(() => Timed());
while (Enumerable.Range(0, 50).Select(_ => Timed()).Min() < listings[listings.Length / 2])
    spins += spins / 4;
var floor = new double[20_000];
for (var i = 0; i < floor.Length; i++)
    floor[i] = Timed();
Report($"fixed computation ({spins} steps, result {sink % 10}), per call", floor);

// Warm-up first, so that the JIT's optimised code is measured, not its first tier: tiered compilation swaps it in only
// after a delay that any new first-tier code restarts, so warm up for seconds, not for a count of calls (5,000 calls,
// 40 ms here, measured first-tier code on one call in ten, and put the listing's p90 at 30-40 µs).
static void WarmUp(Action call)
{
    for (var warming = Stopwatch.StartNew(); warming.Elapsed < TimeSpan.FromSeconds(3); )
        call();
}

// Each call timed alone, its input picked before the clock starts.
static double[] PerCall<T>(int count, Func<T> pick, Action<T> call)
{
    var samples = new double[count];
    for (var i = 0; i < count; i++)
    {
        var input = pick();
        var started = Stopwatch.GetTimestamp();
        call(input);
        samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
    }
    return samples;
}

static long Spin(int steps)
{
    long x = 1;
    for (var i = 0; i < steps; i++)
        x = x * 6364136223846793005L + 1442695040888963407L;
    return x;
}

static void Report(string what, double[] samples)
{
    Array.Sort(samples);
    double P(double p) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(p * samples.Length) - 1)];
    Console.WriteLine(
        $"{what}: n={samples.Length} p50={P(0.50):F2} µs p90={P(0.90):F2} µs p99={P(0.99):F2} µs p99.9={P(0.999):F2} "
            + $"µs max={samples[^1]:F2} µs"
    );
}

/// <summary>
/// The issue's tenant: 20,000 users, 300 roles of 40 features each over the whole catalogue, 3 roles and 2 direct
/// grants per user.
/// </summary>
internal sealed record Tenant(TenantAccess Access, Guid[] Users, string[] Features)
{
    public static Tenant Build(int users = 20_000, int roles = 300, int perRole = 40)
    {
        var catalogue = new FeatureCatalogue();
        var random = new Random(2026);
        var features = catalogue
            .Features.Where(f => f.Active && f.UserTypes is null && f.Tier is Tier.None)
            .Select(f => f.Code)
            .ToArray();
        var roleList = Enumerable
            .Range(0, roles)
            .Select(i => new Role
            {
                Id = Guid.NewGuid(),
                Name = $"Role {i}",
                NameKey = $"role {i}",
                Grants = features
                    .OrderBy(_ => random.Next())
                    .Take(perRole)
                    .Select(f => new Grant(f, random.Next(3) == 0 ? null : random.Next(0, 12)))
                    .ToList(),
            })
            .ToList();
        var facts = Enumerable
            .Range(0, users)
            .Select(i => new UserAccessFacts(
                Guid.NewGuid(),
                $"User {i}",
                i % 50 != 0,
                i == 0,
                (i % 4) switch
                {
                    0 => "BusinessGroupManager",
                    1 => "AccountExecutive",
                    _ => null,
                },
                [],
                null,
                null,
                []
            ))
            .ToList();
        var access = facts
            .Select(f => new UserAccess
            {
                Id = UserAccess.StreamId(f.UserId),
                UserId = f.UserId,
                Roles = Enumerable
                    .Range(0, 3)
                    .Select(_ => new RoleAssignment(roleList[random.Next(roles)].Id))
                    .Distinct()
                    .ToList(),
                Grants = features
                    .OrderBy(_ => random.Next())
                    .Take(2)
                    .Select(c => new Grant(c, random.Next(0, 12)))
                    .ToList(),
            })
            .ToList();
        var all = catalogue.Features.Select(f => f.Code).ToArray();
        return new Tenant(
            new TenantAccess(
                "bench",
                catalogue,
                [],
                new Dictionary<string, Tier>(),
                roleList,
                access,
                facts,
                [],
                [],
                null,
                TimeProvider.System
            ),
            facts.Select(f => f.UserId).ToArray(),
            all
        );
    }
}

[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class DecisionBenchmarks
{
    private const int Batch = 4096;
    private Tenant _tenant = null!;
    private (Guid User, string Feature)[] _checks = null!;
    private UserEntry[] _users = null!;

    [GlobalSetup]
    public void Setup()
    {
        _tenant = Tenant.Build();
        var random = new Random(11);
        _checks = Enumerable
            .Range(0, Batch)
            .Select(_ =>
                (
                    _tenant.Users[random.Next(_tenant.Users.Length)],
                    _tenant.Features[random.Next(_tenant.Features.Length)]
                )
            )
            .ToArray();
        _users = Enumerable
            .Range(0, 256)
            .Select(_ => _tenant.Access.User(_tenant.Users[random.Next(_tenant.Users.Length)])!)
            .ToArray();
    }

    /// <summary>One operation = one decision (4,096 different user/feature pairs per invocation).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int Decide()
    {
        var allowed = 0;
        foreach (var (user, feature) in _checks)
            if (_tenant.Access.Holds(user, feature, 1))
                allowed++;
        return allowed;
    }

    /// <summary>
    /// One operation = listing one user's effective permissions, as GET /users/{id}/effective-permissions does.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 256)]
    public int EffectivePermissions()
    {
        var count = 0;
        foreach (var user in _users)
            count += List(_tenant.Access, user);
        return count;
    }

    internal static int List(TenantAccess access, UserEntry user) =>
        OrderStream.Modules.Roles.Decisions.EffectivePermissions.List(access, user, null).Count;
}
