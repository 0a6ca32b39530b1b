using System.Net;
using System.Text.Json.Nodes;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Billing;

public sealed class BillingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly TimeZoneInfo Vienna = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vienna");

    /// <summary>Moves a fake clock to a Vienna wall-clock time (forward only) and logs the admin in again.</summary>
    private static async Task At(ApiFactory factory, TenantClient admin, int y, int mo, int d, int h = 12, int mi = 0)
    {
        var local = new DateTime(y, mo, d, h, mi, 0);
        factory.Clock.SetUtcNow(new DateTimeOffset(local, Vienna.GetUtcOffset(local)).ToUniversalTime());
        await admin.LogInAsync("admin", TenantClient.AdminPassword);
    }

    private static async Task<string> Create(TenantClient admin, string first, string last) =>
        (string)
            (
                await admin.CreateUserAsync(
                    new
                    {
                        firstName = first,
                        lastName = last,
                        loginCode = "u" + Guid.NewGuid().ToString("N")[..8],
                    }
                )
            )["id"]!;

    private static async Task Post(TenantClient admin, string path) =>
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(path, new { reason = "test" })).StatusCode);

    [Fact]
    public async Task A_year_of_lifecycle_changes_gives_the_statements_worked_out_by_hand()
    {
        // A clock of its own, since this test travels through 2027. The tenant and its administrator are created on
        // 1 January 2027 in Vienna, so the administrator is billed too.
        await using var year = new ApiFactory(null, null);
        year.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 1, 8, 0, 0, TimeSpan.Zero));
        var admin = await year.CreateTenantAsync();
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync("billing/settings", new { pricePerUser = 25.50m })).StatusCode
        );
        var anna = await Create(admin, "Anna", "Huber");
        var bernd = await Create(admin, "Bernd", "Moser");
        await At(year, admin, 2027, 1, 15);
        var clara = await Create(admin, "Clara", "Wolf");
        await At(year, admin, 2027, 2, 10);
        var anna2 = await Create(admin, "anna", "HUBER"); // a second account, same employee
        await At(year, admin, 2027, 3, 31, 18);
        await Post(admin, $"users/{bernd}/deactivate"); // last day of March
        await At(year, admin, 2027, 4, 1, 8);
        await Post(admin, $"users/{bernd}/reactivate"); // first day of April
        await At(year, admin, 2027, 5, 20);
        await Post(admin, $"users/{clara}/deactivate");
        await At(year, admin, 2027, 5, 25);
        await Post(admin, $"users/{clara}/reactivate");
        await At(year, admin, 2027, 6, 30, 10);
        await Create(admin, "Dora", "Fuchs"); // last day of June
        await At(year, admin, 2027, 8, 12);
        await Post(admin, $"users/{anna2}/deactivate"); // Anna still has her first account
        await At(year, admin, 2027, 9, 3, 9);
        var emil = await Create(admin, "Emil", "Lang");
        await At(year, admin, 2027, 9, 3, 17);
        await Post(admin, $"users/{emil}/deactivate"); // created and gone the same day
        await At(year, admin, 2027, 10, 31, 23, 30);
        await Create(admin, "Fritz", "Berg"); // after the switch to winter time
        await At(year, admin, 2028, 1, 10);
        await year.WaitForDeliveryAsync();

        // Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec   (the administrator, Anna, Bernd, Clara, Dora, Emil, Fritz)
        int[] expected = [3, 4, 4, 4, 4, 4, 5, 5, 6, 5, 6, 6];
        var series = await (await admin.GetAsync("billing/statements?from=2027-01&to=2027-12")).ReadAsync();
        Assert.Equal(expected, series["months"]!.AsArray().Select(m => (int)m!["count"]!));
        Assert.Equal(expected.Select(c => c * 25.50m), series["months"]!.AsArray().Select(m => (decimal)m!["total"]!));
        Assert.All(series["months"]!.AsArray(), m => Assert.False((bool)m!["provisional"]!));

        var march = await (await admin.GetAsync("billing/statements/2027-03")).ReadAsync();
        var employees = march["employees"]!.AsArray();
        Assert.Equal(
            ["Anna Huber", "Bernd Moser", "Clara Wolf", "System Administrator"],
            employees.Select(e => (string)e!["employeeName"]!)
        );
        Assert.Equal(2, employees[0]!["accounts"]!.AsArray().Count);
        Assert.Equal("DeactivatedDuringMonth", (string)employees[1]!["accounts"]![0]!["reason"]!);
        Assert.Equal("ActiveWholeMonth", (string)employees[2]!["accounts"]![0]!["reason"]!);
        Assert.Equal(102m, (decimal)march["grandTotal"]!);
        Assert.Equal("EUR", (string)march["currency"]!);

        var september = await (await admin.GetAsync("billing/statements/2027-09")).ReadAsync();
        var emilLine = september["employees"]!.AsArray().Single(e => (string)e!["employeeName"]! == "Emil Lang")!;
        Assert.Equal(emil, (string)emilLine["accounts"]![0]!["userId"]!);
        Assert.Equal("DeactivatedDuringMonth", (string)emilLine["accounts"]![0]!["reason"]!);

        var csv = await (await admin.GetAsync("billing/statements/2027-03?format=csv")).Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("kind,month,employeeName,userId,accountName,reason,amount,currency", lines[0]);
        // Four employees, Anna with two accounts.
        Assert.Equal(5, lines.Count(l => l.StartsWith("account,", StringComparison.Ordinal)));
        Assert.Contains(
            $"account,2027-03,Bernd Moser,{bernd},Bernd Moser,deactivated during the month,25.50,EUR",
            lines
        );
        Assert.Equal("total,2027-03,,,,4 employees,102.00,EUR", lines[^1]);

        // The current month is provisional; rebuilding Billing's accounts from its own history changes nothing.
        Assert.True((bool)(await (await admin.GetAsync("billing/statements/2028-01")).ReadAsync())["provisional"]!);
        var rebuilt = await (await admin.PostAsync("billing/rebuild", null)).ReadAsync();
        Assert.Equal(8, (int)rebuilt["accounts"]!);
        var again = await (await admin.GetAsync("billing/statements?from=2027-01&to=2027-12")).ReadAsync();
        Assert.Equal(series.ToJsonString(), again.ToJsonString());
        Assert.Contains(march["employees"]![0]!["accounts"]!.AsArray(), a => (string)a!["userId"]! == anna);
    }

    [Fact]
    public async Task A_statement_read_again_after_a_change_shows_the_change()
    {
        await using var factory = new ApiFactory(null, null);
        factory.Clock.SetUtcNow(new DateTimeOffset(2028, 3, 15, 10, 0, 0, TimeSpan.Zero));
        var admin = await factory.CreateTenantAsync();
        var xaver = await Create(admin, "Xaver", "Kern");
        await factory.WaitForDeliveryAsync();
        // Created mid-March, nobody is billed for March yet; the statement is read (and remembered) now.
        Assert.Equal(0, (int)(await (await admin.GetAsync("billing/statements/2028-03")).ReadAsync())["count"]!);

        await Post(admin, $"users/{xaver}/deactivate");
        await factory.WaitForDeliveryAsync();
        var march = await (await admin.GetAsync("billing/statements/2028-03")).ReadAsync();
        Assert.Equal(1, (int)march["count"]!);
        Assert.Equal("Xaver Kern", (string)march["employees"]![0]!["employeeName"]!);
    }

    [Fact]
    public async Task Only_a_past_month_can_be_closed_once_and_a_closed_statement_never_changes()
    {
        var admin = await api.CreateTenantAsync();
        await admin.PutAsync("billing/settings", new { pricePerUser = 10m });
        var now = TimeZoneInfo.ConvertTime(api.Clock.GetUtcNow(), Vienna);
        var thisMonth = $"{now:yyyy-MM}";
        var lastMonth = $"{now.AddMonths(-1):yyyy-MM}";

        var notYet = await admin.PostAsync($"billing/statements/{thisMonth}/close", null);
        Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
        Assert.Equal(["month"], (await notYet.ErrorsAsync()).Keys);
        var closed = await admin.PostAsync($"billing/statements/{lastMonth}/close", null);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.True((bool)(await closed.ReadAsync())["closed"]!);
        Assert.Equal(
            HttpStatusCode.Conflict,
            (await admin.PostAsync($"billing/statements/{lastMonth}/close", null)).StatusCode
        );

        // A later price change does not touch the closed month.
        await admin.PutAsync("billing/settings", new { pricePerUser = 99m });
        var frozen = await (await admin.GetAsync($"billing/statements/{lastMonth}")).ReadAsync();
        Assert.Equal(10m, (decimal)frozen["unitPrice"]!);
        Assert.True((bool)frozen["closed"]!);
        var audit = await (await admin.GetAsync("audit?type=statement_closed")).ReadAsync();
        Assert.Equal(lastMonth, (string)audit["items"]![0]!["data"]!["Month"]!);
    }

    [Fact]
    public async Task A_change_that_reaches_Billing_after_its_month_closed_is_an_adjustment_on_the_next_statement()
    {
        // Ben's creation reaches Billing at once; Anna's only after January was closed (delivery was down meanwhile).
        string database,
            tenant,
            ben;
        await using (var delivering = new ApiFactory(null, null))
        {
            delivering.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 15, 11, 0, 0, TimeSpan.Zero));
            var admin = await delivering.CreateTenantAsync();
            await admin.PutAsync("billing/settings", new { pricePerUser = 10m });
            ben = await Create(admin, "Ben", "Berger");
            await delivering.WaitForDeliveryAsync();
            (database, tenant) = (delivering.ConnectionString, admin.Tenant);
        }

        await using (var down = new ApiFactory(database, new() { ["IntegrationEvents:Deliver"] = "false" }))
        {
            down.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 15, 12, 0, 0, TimeSpan.Zero));
            var during = new TenantClient(down.CreateClient(), tenant);
            await during.LogInAsync("admin", TenantClient.AdminPassword);
            var anna = await Create(during, "Anna", "Huber");
            await At(down, during, 2027, 2, 10);
            var closed = await (await during.PostAsync("billing/statements/2027-01/close", null)).ReadAsync();
            Assert.Equal(2, (int)closed["count"]!); // Ben and the administrator, not Anna: Billing has not heard of her
            Assert.NotNull(anna);
        }

        await using var back = new ApiFactory(database, null);
        back.Clock.SetUtcNow(new DateTimeOffset(2027, 2, 10, 12, 0, 0, TimeSpan.Zero));
        var after = new TenantClient(back.CreateClient(), tenant);
        await after.LogInAsync("admin", TenantClient.AdminPassword);
        await back.WaitForDeliveryAsync();

        var january = await (await after.GetAsync("billing/statements/2027-01")).ReadAsync();
        Assert.True((bool)january["closed"]!);
        Assert.Equal(2, (int)january["count"]!);
        Assert.Equal(20m, (decimal)january["total"]!);
        Assert.DoesNotContain(january["employees"]!.AsArray(), e => (string)e!["employeeName"]! == "Anna Huber");
        var february = await (await after.GetAsync("billing/statements/2027-02")).ReadAsync();
        var adjustment = Assert.Single(february["adjustments"]!.AsArray())!;
        Assert.Equal(
            ("2027-01", "Anna Huber", 1, 10m),
            (
                (string)adjustment["forMonth"]!,
                (string)adjustment["employeeName"]!,
                (int)adjustment["change"]!,
                (decimal)adjustment["amount"]!
            )
        );
        Assert.Equal(3, (int)february["count"]!);
        Assert.Equal(40m, (decimal)february["grandTotal"]!);
        Assert.NotNull(ben);
    }

    [Fact]
    public async Task Settings_are_validated_versioned_and_audited()
    {
        var admin = await api.CreateTenantAsync();
        var initial = await admin.GetAsync("billing/settings");
        var body = await initial.ReadAsync();
        Assert.Equal(
            (0m, "EUR", "Europe/Vienna"),
            ((decimal)body["pricePerUser"]!, (string)body["currency"]!, (string)body["timeZone"]!)
        );

        Assert.Equal(
            ["pricePerUser"],
            (await (await admin.PutAsync("billing/settings", new { pricePerUser = -1m })).ErrorsAsync()).Keys
        );
        Assert.Equal(
            ["pricePerUser"],
            (await (await admin.PutAsync("billing/settings", new { pricePerUser = 1.234m })).ErrorsAsync()).Keys
        );
        Assert.Equal(
            ["currency"],
            (
                await (
                    await admin.PutAsync("billing/settings", new { pricePerUser = 1m, currency = "euro" })
                ).ErrorsAsync()
            ).Keys
        );

        var saved = await admin.PutAsync("billing/settings", new { pricePerUser = 12.5m, currency = "CHF" });
        var etag = saved.Headers.ETag!.Tag;
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync("billing/settings", new { pricePerUser = 13m }, etag)).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.PreconditionFailed,
            (await admin.PutAsync("billing/settings", new { pricePerUser = 14m }, etag)).StatusCode
        );
        Assert.Equal("CHF", (string)(await (await admin.GetAsync("billing/settings")).ReadAsync())["currency"]!);
        Assert.Equal(2, (long)(await (await admin.GetAsync("audit?type=billing_price_set")).ReadAsync())["total"]!);
    }

    [Fact]
    public async Task Bad_months_and_formats_are_400s_naming_the_field()
    {
        var admin = await api.CreateTenantAsync();
        Assert.Equal(["month"], (await (await admin.GetAsync("billing/statements/2027-13")).ErrorsAsync()).Keys);
        Assert.Equal(["month"], (await (await admin.GetAsync("billing/statements/july")).ErrorsAsync()).Keys);
        Assert.Equal(
            ["format"],
            (await (await admin.GetAsync("billing/statements/2027-01?format=pdf")).ErrorsAsync()).Keys
        );
        Assert.Equal(["from"], (await (await admin.GetAsync("billing/statements?to=2027-01")).ErrorsAsync()).Keys);
        Assert.Equal(
            ["to"],
            (await (await admin.GetAsync("billing/statements?from=2027-01&to=2037-02")).ErrorsAsync()).Keys
        );
        Assert.Equal(
            ["to"],
            (await (await admin.GetAsync("billing/statements?from=2027-05&to=2027-01")).ErrorsAsync()).Keys
        );
    }

    [Fact]
    public async Task The_simulator_shows_that_deactivating_on_the_31st_instead_of_the_1st_saves_a_month()
    {
        // 10 January 2028 in Vienna: this month is January, next month February.
        await using var simulation = new ApiFactory(null, null);
        simulation.Clock.SetUtcNow(new DateTimeOffset(2028, 1, 10, 11, 0, 0, TimeSpan.Zero));
        var admin = await simulation.CreateTenantAsync();
        await admin.PutAsync("billing/settings", new { pricePerUser = 20m });
        var dora = await Create(admin, "Dora", "Fuchs");
        await simulation.WaitForDeliveryAsync();
        var endOfMonth = new DateTime(2028, 1, 31);

        var onTheLast = await (
            await admin.PostAsync(
                "billing/simulate",
                new { changes = new[] { new { userId = dora, deactivateOn = $"{endOfMonth:yyyy-MM-dd}" } } }
            )
        ).ReadAsync();
        var onTheFirst = await (
            await admin.PostAsync(
                "billing/simulate",
                new { changes = new[] { new { userId = dora, deactivateOn = $"{endOfMonth.AddDays(1):yyyy-MM-dd}" } } }
            )
        ).ReadAsync();
        Assert.Equal(-20m, (decimal)onTheLast["months"]![1]!["difference"]!);
        Assert.Equal(["Dora Fuchs"], onTheLast["months"]![1]!["employeesRemoved"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(0m, (decimal)onTheFirst["months"]![1]!["difference"]!);
        // Nothing was saved.
        Assert.True((bool)(await (await admin.GetAsync($"users/{dora}")).ReadAsync())["isActive"]!);

        var bad = await admin.PostAsync(
            "billing/simulate",
            new { changes = new object[] { new { userId = "x", deactivateOn = "tomorrow" }, new { userId = dora } } }
        );
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = await bad.ErrorsAsync();
        Assert.Contains("changes[0].userId", errors.Keys);
        Assert.Contains("changes[0].deactivateOn", errors.Keys);
        Assert.Contains("changes[1].deactivateOn", errors.Keys);
        var nullChange = await admin.Http.PostAsync(
            admin.Url("billing/simulate"),
            new StringContent("{\"changes\": [null]}", System.Text.Encoding.UTF8, "application/json")
        );
        Assert.Equal(["changes[0]"], (await nullChange.ErrorsAsync()).Keys);
        Assert.Equal(["changes"], (await (await admin.PostAsync("billing/simulate", new { })).ErrorsAsync()).Keys);
        var unknown = await admin.PostAsync(
            "billing/simulate",
            new { changes = new[] { new { userId = Guid.NewGuid().ToString(), deactivateOn = "2028-01-20" } } }
        );
        Assert.Equal("2028-01", (string)onTheLast["months"]![0]!["month"]!);
        Assert.Equal(["changes[0].userId"], (await unknown.ErrorsAsync()).Keys);

        // Reactivating: on 1 February, February is billed; on the 2nd it is not (back after the first day).
        var emil = await Create(admin, "Emil", "Lang");
        await Post(admin, $"users/{emil}/deactivate");
        await simulation.WaitForDeliveryAsync();
        async Task<JsonNode> Reactivate(string userId, string on) =>
            (
                await (
                    await admin.PostAsync(
                        "billing/simulate",
                        new { changes = new[] { new { userId, reactivateOn = on } } }
                    )
                ).ReadAsync()
            )["months"]!;
        var onTheFirstOfFebruary = await Reactivate(emil, "2028-02-01");
        Assert.Equal(
            (0m, 20m),
            ((decimal)onTheFirstOfFebruary[0]!["difference"]!, (decimal)onTheFirstOfFebruary[1]!["difference"]!)
        );
        Assert.Equal(["Emil Lang"], onTheFirstOfFebruary[1]!["employeesAdded"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(0m, (decimal)(await Reactivate(emil, "2028-02-02"))[1]!["difference"]!);
        Assert.False((bool)(await (await admin.GetAsync($"users/{emil}")).ReadAsync())["isActive"]!);
        // Only an inactive account can come back, and not before it left.
        var active = await admin.PostAsync(
            "billing/simulate",
            new { changes = new[] { new { userId = dora, reactivateOn = "2028-02-01" } } }
        );
        Assert.Equal(["changes[0]"], (await active.ErrorsAsync()).Keys);
        var tooEarly = await admin.PostAsync(
            "billing/simulate",
            new { changes = new[] { new { userId = emil, reactivateOn = "2028-01-09" } } }
        );
        Assert.Equal(["changes[0]"], (await tooEarly.ErrorsAsync()).Keys);
        var malformed = await admin.PostAsync(
            "billing/simulate",
            new { changes = new[] { new { userId = emil, reactivateOn = "1.2.2028" } } }
        );
        Assert.Equal(["changes[0].reactivateOn"], (await malformed.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task An_account_is_active_on_the_day_it_was_opened_so_the_simulator_takes_a_same_day_change()
    {
        // Issue #23, item 7: on the last day of a month and on the first, an account opened that very day.
        await using var clock = new ApiFactory(null, null);
        var admin = await clock.CreateTenantAsync();
        await admin.PutAsync("billing/settings", new { pricePerUser = 20m });
        await At(clock, admin, 2028, 1, 31, 14);
        var lea = await Create(admin, "Lea", "Neu");
        await clock.WaitForDeliveryAsync();

        var sameDay = await admin.PostAsync(
            "billing/simulate",
            new { changes = new[] { new { userId = lea, deactivateOn = "2028-01-31" } } }
        );

        Assert.Equal(HttpStatusCode.OK, sameDay.StatusCode);
        var months = (await sameDay.ReadAsync())["months"]!;
        Assert.Equal("2028-02", (string)months[1]!["month"]!);
        // Gone on the day she came: February is not billed for her.
        Assert.Equal(-20m, (decimal)months[1]!["difference"]!);

        await At(clock, admin, 2028, 2, 1, 9);
        var max = await Create(admin, "Max", "Frisch");
        await clock.WaitForDeliveryAsync();
        var firstDay = await admin.PostAsync(
            "billing/simulate",
            new { changes = new[] { new { userId = max, deactivateOn = "2028-02-01" } } }
        );
        Assert.Equal(HttpStatusCode.OK, firstDay.StatusCode);
        // Deactivated and back on the same day: the simulator takes the return on that day too.
        await Post(admin, $"users/{max}/deactivate");
        await clock.WaitForDeliveryAsync();
        var back = await admin.PostAsync(
            "billing/simulate",
            new { changes = new[] { new { userId = max, reactivateOn = "2028-02-01" } } }
        );
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        // The day before the account was opened is still refused.
        var before = await admin.PostAsync(
            "billing/simulate",
            new { changes = new[] { new { userId = lea, deactivateOn = "2028-01-30" } } }
        );
        Assert.Equal(["changes[0]"], (await before.ErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Same_name_warnings_show_accounts_counted_as_one_and_names_that_differ_only_in_accents()
    {
        var admin = await api.CreateTenantAsync();
        await Create(admin, "Anna", "Huber");
        await Create(admin, "ANNA", "huber");
        await Create(admin, "Jürgen", "Müller");
        await Create(admin, "Jurgen", "Muller");
        await api.WaitForDeliveryAsync();
        var warnings = await (await admin.GetAsync("billing/same-name-warnings")).ReadAsync();
        var one = warnings["countedAsOne"]!.AsArray();
        Assert.Single(one);
        Assert.Equal(2, one[0]!["accounts"]!.AsArray().Count);
        var possibly = warnings["possiblyOnePerson"]!.AsArray();
        Assert.Single(possibly);
        Assert.Equal(
            ["Jurgen Muller", "Jürgen Müller"],
            possibly[0]!["accounts"]!.AsArray().Select(a => (string)a!["name"]!)
        );
    }

    [Fact]
    public async Task Dormant_users_are_those_nobody_logged_in_to_for_the_days_given_with_the_saving_per_employee()
    {
        await using var dormancy = new ApiFactory(null, null);
        dormancy.Clock.SetUtcNow(new DateTimeOffset(2028, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var admin = await dormancy.CreateTenantAsync();
        await admin.PutAsync("billing/settings", new { pricePerUser = 20m });
        // Ada logs in now and then; Bob never does; two accounts of Cleo: one dormant, one used; Dan is inactive.
        var ada = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Ada", "Alt", "ada", password: "ada-password-12")))[
                "id"
            ]!;
        var bob = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Bob", "Berg", "bob")))["id"]!;
        var cleoOld = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Cleo", "Chen", "cleo1")))["id"]!;
        var cleoNew = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("cleo", "CHEN", "cleo2", password: "cleo-password-12")))[
                "id"
            ]!;
        var dan = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Dan", "Dorn", "dan")))["id"]!;
        await admin.PostAsync($"users/{dan}/deactivate", new { reason = "left" });
        var ada1 = new TenantClient(dormancy.CreateClient(), admin.Tenant);
        await ada1.LogInAsync("ada", "ada-password-12");

        dormancy.Clock.SetUtcNow(new DateTimeOffset(2028, 3, 20, 9, 0, 0, TimeSpan.Zero));
        await admin.LogInAsync("admin", TenantClient.AdminPassword);
        await new TenantClient(dormancy.CreateClient(), admin.Tenant).LogInAsync("cleo2", "cleo-password-12");
        await dormancy.WaitForDeliveryAsync();

        // 30 days: nobody yet (every account opened 19 days ago, Ada's login as old).
        var month = await (await admin.GetAsync("billing/dormant")).ReadAsync();
        Assert.Equal(0, (int)month["dormantAccounts"]!);
        // 10 days: Ada (logged in 19 days ago), Bob (never, opened 19 days ago) and Cleo's first account.
        var tenDays = await (await admin.GetAsync("billing/dormant?days=10")).ReadAsync();
        Assert.Equal("2028-04", (string)tenDays["nextMonth"]!);
        var employees = tenDays["employees"]!.AsArray();
        Assert.Equal(["Ada Alt", "Bob Berg", "Cleo Chen"], employees.Select(e => (string)e!["employeeName"]!));
        Assert.Equal([20m, 20m, 0m], employees.Select(e => (decimal)e!["saving"]!));
        Assert.Equal([cleoNew], employees[2]!["keptBilledBy"]!.AsArray().Select(id => (string)id!));
        Assert.Equal([cleoOld], employees[2]!["accounts"]!.AsArray().Select(a => (string)a!["userId"]!));
        Assert.NotNull(employees[0]!["accounts"]![0]!["lastLoginAt"]);
        Assert.Null(employees[1]!["accounts"]![0]!["lastLoginAt"]);
        Assert.Equal(40m, (decimal)tenDays["totalSaving"]!);
        Assert.Equal(3, (int)tenDays["dormantAccounts"]!);
        var listed = employees.SelectMany(e => e!["accounts"]!.AsArray()).Select(a => (string)a!["userId"]!).ToList();
        Assert.Equal([ada, bob, cleoOld], listed);
        Assert.DoesNotContain(dan, listed);

        Assert.Equal(["days"], (await (await admin.GetAsync("billing/dormant?days=0")).ErrorsAsync()).Keys);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("billing/dormant?days=soon")).StatusCode);
    }
}
