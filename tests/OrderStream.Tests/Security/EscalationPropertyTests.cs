using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace OrderStream.Tests.Security;

/// <summary>
/// Issue #18's property (ADR 0019): a caller with random rights, among users with random rights, makes a random
/// sequence of calls — as themselves or as any user whose password they set — and afterwards neither they nor any user
/// they can log in as holds more than they held: with "grant only what you hold" on, no feature or qualifier anywhere;
/// with it off (the manual's default, which lets a user manager raise rights), nothing of a higher tier. Each scenario
/// is one seed; a failure prints the seed and every call of the scenario. <c>ESCALATION_SEEDS</c> runs more of them.
/// </summary>
public sealed class EscalationPropertyTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private const int BaseSeed = 20261206;

    // Coordinators and executives need links to each other: a type that needs none keeps every call of a scenario
    // simple, and rights bound to the other types lie dormant on these users, which is the case a change of type could
    // wake.
    private static readonly string[] Types = ["BusinessGroupManager"];
    private static readonly string[] TierFeatures =
    [
        "is-system-manager",
        "can-make-global-entities",
        "randomise-all-names",
    ];
    private static readonly (string Code, int? Qualifier)[] Grants =
    [
        ("manage-order-discounts", 5),
        ("manage-order-discounts", 10),
        ("manage-order-discounts", 25),
        ("manage-order-discounts", null),
        ("can-move-stock", null),
        ("may-edit-invoiced-costs", null),
        ("may-see-commissions", null),
        ("pos-login", null),
        ("is-system-manager", null),
        ("randomise-all-names", null),
        ("can-check-authorization", null),
    ];

    private static int Seeds =>
        int.TryParse(Environment.GetEnvironmentVariable("ESCALATION_SEEDS"), out var n) ? n : 12;

    [Fact]
    public Task With_the_escalation_guard_on_nobody_gains_anything_through_their_own_calls() =>
        RunAsync(guardOn: true, BaseSeed);

    [Fact]
    public Task With_the_guard_off_nobody_gains_a_higher_tier_through_their_own_calls() =>
        RunAsync(guardOn: false, BaseSeed + 100_000);

    private async Task RunAsync(bool guardOn, int first)
    {
        for (var seed = first; seed < first + Seeds; seed++)
        {
            var scenario = new Scenario(api, seed, guardOn);
            try
            {
                await scenario.RunAsync();
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException(
                    $"seed {seed} (guard {(guardOn ? "on" : "off")}):\n{string.Join("\n", scenario.Trace)}\n\n{e}"
                );
            }
            output.WriteLine($"seed {seed}: {scenario.Trace.Count} calls, {scenario.Allowed} allowed");
        }
    }

    /// <summary>
    /// What a user holds, by place ("" tenant-wide, else a sale point's code): feature → qualifier ("" none, "∞" no
    /// limit).
    /// </summary>
    private sealed record Held(bool SystemAdministrator, Dictionary<string, Dictionary<string, string>> Places);

    private sealed class Scenario(ApiFactory api, int seed, bool guardOn)
    {
        private readonly Random _random = new(seed);
        private TenantClient _admin = null!;
        private readonly Dictionary<string, string> _roles = [];
        private readonly Dictionary<string, string> _salePoints = [];
        private readonly List<string> _users = [];

        // Users whose password the caller knows (the caller's own among them), with that password.
        private readonly Dictionary<string, (string Login, string Password)> _controlled = [];
        public List<string> Trace { get; } = [];
        public int Allowed { get; private set; }

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        private bool Chance(double p) => _random.NextDouble() < p;

        public async Task RunAsync()
        {
            _admin = await api.CreateTenantAsync();
            if (guardOn)
                await Ok(await _admin.PutAsync("access-settings", new { grantOnlyWhatYouHold = true }), "guard on");
            foreach (var code in new[] { "SP1", "SP2" })
                _salePoints[code] = await AssignmentTests.SalePointAsync(_admin, code);
            foreach (
                var name in new[] { "Administrator", "POS Cashier", "Production Coordinator", "Business Group Manager" }
            )
                _roles[name] = await _admin.RoleIdAsync(name);
            await RoleAsync("Staff", ("can-maintain-employee-data", null), ("can-maintain-user-roles", null));
            await RoleAsync("Stock", ("can-move-stock", null), ("manage-order-discounts", 10));
            await RoleAsync("Big discounts", ("manage-order-discounts", 25));
            await RoleAsync("No limit", ("manage-order-discounts", null));
            await RoleAsync("Support", ("is-system-manager", null), ("can-make-global-entities", null));

            var caller = await UserAsync("caller", isCaller: true);
            for (var i = 0; i < 3; i++)
                _users.Add(await UserAsync($"user{i}", isCaller: false));
            var before = await HeldAsync(caller);
            Trace.Add($"caller {caller} holds {Describe(before)}");

            for (var step = 0; step < 12; step++)
                await StepAsync(caller);

            foreach (var (id, _) in _controlled)
            {
                // As if the caller could also reactivate them: what they would hold counts, not whether they may log in
                // today.
                await _admin.PostAsync($"users/{id}/reactivate", new { });
                var now = await HeldAsync(id);
                Assert.True(
                    Within(now, before, out var why),
                    $"{(id == caller ? "the caller" : $"user {id}, whom the caller can log in as,")} "
                        + $"now holds more than the caller held: {why}\nheld before: {Describe(before)}\nnow: "
                        + $"{Describe(now)}"
                );
            }
        }

        private async Task RoleAsync(string name, params (string, int?)[] grants) =>
            _roles[name] = (string)
                (await Ok(await _admin.PostAsync("roles", TenantClient.RoleBody(name, grants)), "role"))["id"]!;

        private async Task<string> UserAsync(string login, bool isCaller)
        {
            var type = Chance(0.5) ? Pick(Types) : null;
            var password = $"{login}-password-1";
            var id = (string)
                (
                    await _admin.CreateUserAsync(
                        new
                        {
                            firstName = new string(login.Where(char.IsLetter).ToArray()),
                            lastName = "Random",
                            loginCode = login,
                            password,
                            type,
                        }
                    )
                )["id"]!;
            if (isCaller)
                _controlled[id] = (login, password);
            await _admin.GiveRoleAsync(id, isCaller ? "Staff" : Pick(_roles.Keys.ToList()));
            if (Chance(isCaller ? 0.1 : 0.2))
                await Ok(await _admin.PutAsync($"users/{id}/system-administrator", new { value = true }), "flag");
            for (var i = _random.Next(3); i > 0; i--)
                await _admin.PutAsync($"users/{id}/roles/{Pick(_roles.Values.ToList())}", new { });
            for (var i = _random.Next(3); i > 0; i--)
            {
                var (code, qualifier) = Pick(Grants);
                await _admin.PutAsync($"users/{id}/grants/{code}", new { qualifier });
            }
            if (Chance(0.5))
                await _admin.PostAsync(
                    $"users/{id}/sale-points",
                    new
                    {
                        salePointId = Pick(_salePoints.Values.ToList()),
                        roleId = _roles[Pick(["POS Cashier", "Stock", "Big discounts"])],
                    }
                );
            return id;
        }

        /// <summary>
        /// One call, by the caller or by a user they can log in as, on anyone; allowed or not, the sequence goes on.
        /// </summary>
        private async Task StepAsync(string caller)
        {
            var actorId = Pick(_controlled.Keys.ToList());
            var (login, password) = _controlled[actorId];
            var actor = new TenantClient(api.CreateClient(), _admin.Tenant);
            var logIn = await actor.Http.PostAsync(actor.Url("auth/login"), Body(new { loginCode = login, password }));
            if (!logIn.IsSuccessStatusCode)
            {
                Trace.Add($"as {actorId}: cannot log in ({(int)logIn.StatusCode})");
                return;
            }
            actor.Http.DefaultRequestHeaders.Authorization = new("Bearer", (string)(await logIn.ReadAsync())["token"]!);
            var target = Pick<string>([.. _users, .. _controlled.Keys, caller]);
            var (what, response, learned) = _random.Next(10) switch
            {
                0 => await SetPasswordAsync(actor, target),
                1 => ("PIN", await actor.PutAsync($"users/{target}/pin", new { pin = "4711" }), null),
                2 => (
                    "assign role",
                    await actor.PutAsync($"users/{target}/roles/{Pick(_roles.Values.ToList())}", new { }),
                    null
                ),
                3 => (
                    "unassign role",
                    await actor.DeleteAsync($"users/{target}/roles/{Pick(_roles.Values.ToList())}"),
                    null
                ),
                4 => await GrantAsync(actor, target),
                5 => (
                    "add sale point",
                    await actor.PostAsync(
                        $"users/{target}/sale-points",
                        new { salePointId = Pick(_salePoints.Values.ToList()), roleId = Pick(_roles.Values.ToList()) }
                    ),
                    null
                ),
                6 => await ChangeTypeAsync(actor, target),
                7 => (
                    Chance(0.5) ? "deactivate" : "reactivate",
                    await actor.PostAsync($"users/{target}/{(Chance(0.5) ? "deactivate" : "reactivate")}", new { }),
                    null
                ),
                8 => ("flag", await actor.PutAsync($"users/{target}/system-administrator", new { value = true }), null),
                _ => await CreateAsync(actor),
            };
            var status = (int)response.StatusCode;
            if (status >= 500)
                throw new Xunit.Sdk.XunitException(
                    $"{what} answered {status}: {await response.Content.ReadAsStringAsync()}"
                );
            if (response.IsSuccessStatusCode)
            {
                Allowed++;
                if (learned is var (id, knownLogin, knownPassword))
                    _controlled[id] = (knownLogin, knownPassword);
            }
            Trace.Add($"as {actorId}: {what} on {target} → {status}");
        }

        private async Task<(string, HttpResponseMessage, (string Id, string Login, string Password)?)> SetPasswordAsync(
            TenantClient actor,
            string target
        )
        {
            var user = await (await _admin.GetAsync($"users/{target}")).ReadAsync();
            var password = $"taken-{_random.Next(1_000_000)}-1";
            var response = await actor.PutAsync(
                $"users/{target}",
                new
                {
                    firstName = (string)user["firstName"]!,
                    lastName = (string)user["lastName"]!,
                    loginCode = (string)user["loginCode"]!,
                    type = (string?)user["type"],
                    password,
                }
            );
            return ("password", response, (target, (string)user["loginCode"]!, password));
        }

        private async Task<(string, HttpResponseMessage, (string, string, string)?)> GrantAsync(
            TenantClient actor,
            string target
        )
        {
            var (code, qualifier) = Pick(Grants);
            return (
                $"grant {code} {qualifier}",
                await actor.PutAsync($"users/{target}/grants/{code}", new { qualifier }),
                null
            );
        }

        private async Task<(string, HttpResponseMessage, (string, string, string)?)> ChangeTypeAsync(
            TenantClient actor,
            string target
        )
        {
            var user = await (await _admin.GetAsync($"users/{target}")).ReadAsync();
            var type = Pick(Types);
            return (
                $"type {type}",
                await actor.PutAsync(
                    $"users/{target}",
                    new
                    {
                        firstName = (string)user["firstName"]!,
                        lastName = (string)user["lastName"]!,
                        loginCode = (string)user["loginCode"]!,
                        type,
                    }
                ),
                null
            );
        }

        private async Task<(string, HttpResponseMessage, (string, string, string)?)> CreateAsync(TenantClient actor)
        {
            var login = $"new{_random.Next(1_000_000)}";
            var password = $"{login}-password-1";
            var response = await actor.PostAsync(
                "users",
                new
                {
                    firstName = "New",
                    lastName = "Puppet",
                    loginCode = login,
                    password,
                    type = Chance(0.5) ? Pick(Types) : null,
                }
            );
            var id = response.StatusCode == HttpStatusCode.Created ? (string?)(await response.ReadAsync())["id"] : null;
            if (id is not null)
                _users.Add(id);
            return ($"create {login}", response, id is null ? null : (id, login, password));
        }

        private async Task<Held> HeldAsync(string user)
        {
            var places = new Dictionary<string, Dictionary<string, string>>();
            var tenantWide = await (await _admin.GetAsync($"users/{user}/effective-permissions")).ReadAsync();
            places[""] = Features(tenantWide);
            foreach (var (code, id) in _salePoints)
            {
                var here = Features(
                    await (await _admin.GetAsync($"users/{user}/effective-permissions?salePointId={id}")).ReadAsync()
                );
                foreach (var (feature, level) in places[""])
                    here.TryAdd(feature, level);
                places[code] = here;
            }
            return new Held((bool)tenantWide["isSystemAdministrator"]!, places);
        }

        private static Dictionary<string, string> Features(JsonObject permissions) =>
            permissions["permissions"]!
                .AsArray()
                .ToDictionary(
                    p => (string)p!["code"]!,
                    p => (bool)p!["unlimited"]! ? "∞" : p["qualifier"]?.ToString() ?? ""
                );

        private bool Within(Held now, Held before, out string why)
        {
            why = "";
            // A System Administrator may give anything, and is bound by neither the guard nor the tiers.
            if (before.SystemAdministrator)
                return true;
            if (now.SystemAdministrator)
                return Fail(out why, "is a System Administrator");
            foreach (var (place, features) in now.Places)
            foreach (var (code, level) in features)
            {
                var had = before.Places[place].GetValueOrDefault(code);
                var where = place == "" ? "tenant-wide" : $"at {place}";
                if (guardOn ? !Covers(had, level) : TierFeatures.Contains(code) && had is null)
                    return Fail(out why, $"'{code}' {level} {where} (the caller held {had ?? "nothing"})");
            }
            return true;
        }

        private static bool Fail(out string why, string what)
        {
            why = what;
            return false;
        }

        private static bool Covers(string? had, string level) =>
            had is not null
            && (had == "∞" || level != "∞" && (level == "" || had != "" && int.Parse(had) >= int.Parse(level)));

        private static string Describe(Held held) =>
            (held.SystemAdministrator ? "SA; " : "")
            + string.Join(
                "; ",
                held.Places.Select(p =>
                    $"{(p.Key == "" ? "tenant" : p.Key)}: "
                    + $"{string.Join(", ", p.Value.Select(f => f.Value == "" ? f.Key : $"{f.Key} {f.Value}"))}"
                )
            );

        private static async Task<JsonObject> Ok(HttpResponseMessage response, string what)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {body}");
            return JsonNode.Parse(body)!.AsObject();
        }

        private static StringContent Body(object value) =>
            new(System.Text.Json.JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
    }
}
