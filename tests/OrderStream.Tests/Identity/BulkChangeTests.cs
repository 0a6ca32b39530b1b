using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Identity;

/// <summary>
/// Issue #6's bulk changes: many users changed at once and users imported from CSV, each row in one transaction
/// (applied whole or not at all), a dry run that answers row by row without changing anything.
/// </summary>
public sealed class BulkChangeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<string[]> RolesOf(TenantClient admin, string user)
    {
        var permissions = await (await admin.GetAsync($"users/{user}/effective-permissions")).ReadAsync();
        return
        [
            .. permissions["permissions"]!
                .AsArray()
                .SelectMany(p => p!["sources"]!.AsArray())
                .Where(s => (string)s!["kind"]! == "role" && s["salePointId"] is null)
                .Select(s => (string)s!["roleName"]!)
                .Distinct()
                .Order(),
        ];
    }

    /// <summary>"sale points (code:role) / stores", e.g. "SP1:POS Cashier / ST1 ST2".</summary>
    private static async Task<string> LocationsOf(TenantClient admin, string user)
    {
        var locations = await (await admin.GetAsync($"users/{user}/sale-points")).ReadAsync();
        return string.Join(" ", locations["salePoints"]!.AsArray().Select(s => $"{s!["code"]}:{s["roleName"]}").Order())
            + " / "
            + string.Join(" ", locations["stores"]!.AsArray().Select(s => (string)s!["code"]!).Order());
    }

    private static async Task<int> HistoryLength(TenantClient admin, string user) =>
        (await (await admin.GetAsync($"users/{user}/history")).ReadAsync())["items"]!.AsArray().Count;

    private static JsonObject[] Rows(JsonObject result) => [.. result["results"]!.AsArray().Select(r => r!.AsObject())];

    private static async Task<JsonObject> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    [Fact]
    public async Task A_bulk_change_answers_row_by_row_changes_nothing_in_a_dry_run_and_applies_each_row_whole()
    {
        var admin = await api.CreateTenantAsync();
        var sales = (string)
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("Sales", ("manage-order-discounts", 10)))
                ).ReadAsync()
            )["id"]!;
        var stock = (string)
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("Stock", ("can-move-stock", null)))
                ).ReadAsync()
            )["id"]!;
        var cashier = await admin.RoleIdAsync("POS Cashier");
        var sp1 = await AssignmentTests.SalePointAsync(admin, "SP1");
        var st1 = await AssignmentTests.StoreAsync(admin, "ST1");
        var st2 = await AssignmentTests.StoreAsync(admin, "ST2");
        var anna = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Anna", "Bulk")))["id"]!;
        var bert = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Bert", "Bulk")))["id"]!;
        var cleo = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Cleo", "Bulk")))["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"users/{bert}/roles/{stock}", new { })).StatusCode);
        // Cleo's default store is ST1: removing it is refused, and then nothing else of her row may be applied.
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PostAsync($"users/{cleo}/stores", new { storeId = st1 })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await admin.PutAsync($"users/{cleo}/default-store", new { storeId = st1 })).StatusCode
        );
        var nobody = Guid.NewGuid().ToString();
        var until = api.Clock.GetUtcNow().AddDays(7);
        object Body(bool dryRun) =>
            new
            {
                dryRun,
                userIds = new[] { anna, bert, cleo, nobody },
                assignRoles = new[] { new { roleId = sales, validUntil = (DateTimeOffset?)until } },
                removeRoles = new[] { stock },
                addSalePoints = new[] { new { salePointId = sp1, roleId = cashier } },
                addStores = new[] { st2 },
                removeStores = new[] { st1 },
            };
        // Billing records each new user from Identity's events, in the user's history too: counted once it has.
        await api.WaitForDeliveryAsync();
        var historyBefore = await HistoryLength(admin, anna);

        var dry = await Ok(admin.PostAsync("users/bulk", Body(dryRun: true)));
        Assert.True((bool)dry["dryRun"]!);
        Assert.Equal(
            (4, 2, 0, 2),
            ((int)dry["rows"]!, (int)dry["changed"]!, (int)dry["unchanged"]!, (int)dry["failed"]!)
        );
        var rows = Rows(dry);
        Assert.Equal([1, 2, 3, 4], rows.Select(r => (int)r["row"]!));
        Assert.Equal([anna, bert, cleo, nobody], rows.Select(r => (string)r["userId"]!));
        Assert.Equal(["WouldApply", "WouldApply", "Failed", "Failed"], rows.Select(r => (string)r["outcome"]!));
        Assert.Equal(
            [
                $"role 'Sales' given until {until.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC",
                "added sale point SP1 (Shop SP1) with role POS Cashier",
                "added store ST2 (Store ST2)",
            ],
            rows[0]["changes"]!.AsArray().Select(c => (string)c!)
        );
        Assert.Contains("role 'Stock' taken", rows[1]["changes"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(409, (int)rows[2]["problem"]!["status"]!);
        Assert.Contains("default store", (string)rows[2]["problem"]!["detail"]!);
        Assert.Equal(["removeStores"], rows[2]["problem"]!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Empty(rows[2]["changes"]!.AsArray());
        Assert.Equal(404, (int)rows[3]["problem"]!["status"]!);
        // Nothing happened.
        Assert.Empty(await RolesOf(admin, anna));
        Assert.Equal((string[])["Stock"], await RolesOf(admin, bert));
        Assert.Equal(" / ", await LocationsOf(admin, anna));
        await api.WaitForDeliveryAsync();
        Assert.Equal(historyBefore, await HistoryLength(admin, anna));

        var real = await Ok(admin.PostAsync("users/bulk", Body(dryRun: false)));
        Assert.Equal(["Applied", "Applied", "Failed", "Failed"], Rows(real).Select(r => (string)r["outcome"]!));
        Assert.Equal(rows[0]["changes"]!.ToJsonString(), Rows(real)[0]["changes"]!.ToJsonString());
        Assert.Equal((string[])["Sales"], await RolesOf(admin, anna));
        Assert.Equal((string[])["Sales"], await RolesOf(admin, bert));
        Assert.Equal("SP1:POS Cashier / ST2", await LocationsOf(admin, anna));
        // Cleo's row was refused whole: the role given before the refused store change is not there either.
        Assert.Empty(await RolesOf(admin, cleo));
        Assert.Equal(" / ST1", await LocationsOf(admin, cleo));
        // Each change is audited as if made one by one, by the caller, the window included.
        var history = (await (await admin.GetAsync($"users/{anna}/history")).ReadAsync())["items"]!.AsArray();
        Assert.Contains(history, e =>
            ((string)e!["summary"]!).StartsWith("Role 'Sales' given until", StringComparison.Ordinal)
            && (string)e["actor"]! == admin.UserId
        );
        Assert.Contains(history, e => ((string)e!["summary"]!).Contains("SP1", StringComparison.Ordinal));

        // Again: what is there already is no change.
        var again = await Ok(admin.PostAsync("users/bulk", Body(dryRun: false)));
        Assert.Equal(["Unchanged", "Unchanged", "Failed", "Failed"], Rows(again).Select(r => (string)r["outcome"]!));

        // Taking a sale point away: from whoever has it; for whoever has it not, no change.
        var removed = await Ok(
            admin.PostAsync("users/bulk", new { userIds = new[] { anna, cleo }, removeSalePoints = new[] { sp1 } })
        );
        Assert.Equal(["Applied", "Unchanged"], Rows(removed).Select(r => (string)r["outcome"]!));
        Assert.Contains("SP1", (string)Rows(removed)[0]["changes"]![0]!);
        Assert.Equal(" / ST2", await LocationsOf(admin, anna));

        // Deactivating: the caller cannot deactivate themselves; an inactive user stays as they are.
        var off = await Ok(
            admin.PostAsync(
                "users/bulk",
                new
                {
                    userIds = new[] { anna, admin.UserId },
                    deactivate = true,
                    reason = "season over",
                }
            )
        );
        Assert.Equal(["Applied", "Failed"], Rows(off).Select(r => (string)r["outcome"]!));
        Assert.Equal(["deactivated (season over)"], Rows(off)[0]["changes"]!.AsArray().Select(c => (string)c!));
        Assert.Contains("yourself", (string)Rows(off)[1]["problem"]!["detail"]!);
        Assert.False((bool)(await (await admin.GetAsync($"users/{anna}")).ReadAsync())["isActive"]!);
        Assert.Equal(
            "Unchanged",
            (string)
                Rows(await Ok(admin.PostAsync("users/bulk", new { userIds = new[] { anna }, deactivate = true })))[0][
                    "outcome"
                ]!
        );
    }

    [Fact]
    public async Task A_row_needs_the_rights_each_part_of_it_needs_and_a_refused_part_leaves_the_whole_row_undone()
    {
        var admin = await api.CreateTenantAsync();
        var sales = (string)
            (
                await (
                    await admin.PostAsync("roles", TenantClient.RoleBody("Sales", ("manage-order-discounts", 10)))
                ).ReadAsync()
            )["id"]!;
        // A clerk may maintain employee data (users, their stores) but not roles.
        var clerks = (string)
            (
                await (
                    await admin.PostAsync(
                        "roles",
                        TenantClient.RoleBody("Clerks", ("can-maintain-employee-data", null))
                    )
                ).ReadAsync()
            )["id"]!;
        var clerk = (string)
            (await admin.CreateUserAsync(TenantClient.NewUser("Carl", "Clerk", "carl", password: "carl-password-1")))[
                "id"
            ]!;
        await admin.PutAsync($"users/{clerk}/roles/{clerks}", new { });
        var carl = new TenantClient(api.CreateClient(), admin.Tenant);
        await carl.LogInAsync("carl", "carl-password-1");
        var st1 = await AssignmentTests.StoreAsync(admin, "ST1");
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Uma", "User")))["id"]!;

        var refused = Rows(
            await Ok(
                carl.PostAsync(
                    "users/bulk",
                    new
                    {
                        userIds = new[] { user },
                        assignRoles = new[] { new { roleId = sales } },
                        addStores = new[] { st1 },
                    }
                )
            )
        );
        Assert.Equal("Failed", (string)refused[0]["outcome"]!);
        Assert.Equal(403, (int)refused[0]["problem"]!["status"]!);
        Assert.Contains("can-maintain-user-roles", (string)refused[0]["problem"]!["detail"]!);
        Assert.Equal(" / ", await LocationsOf(admin, user));
        var stores = Rows(
            await Ok(carl.PostAsync("users/bulk", new { userIds = new[] { user }, addStores = new[] { st1 } }))
        );
        Assert.Equal("Applied", (string)stores[0]["outcome"]!);

        // Importing: a row whose role the clerk may not give is not created at all, the user included.
        var import = await Ok(
            Csv(carl, "users/import", "firstName,lastName,loginCode,roles\nGina,Gast,gina,Sales\nHans,Gast,hans,\n")
        );
        Assert.Equal(["Failed", "Applied"], Rows(import).Select(r => (string)r["outcome"]!));
        Assert.Equal(403, (int)Rows(import)[0]["problem"]!["status"]!);
        Assert.Empty(await Logins(admin, "gina"));
        Assert.Equal(["hans"], await Logins(admin, "hans"));

        // Another tenant's user is nobody here: refused as unknown, and left as they were.
        var other = await api.CreateTenantAsync();
        var stranger = (string)(await other.CreateUserAsync(TenantClient.NewUser("Sven", "Stranger")))["id"]!;
        var foreign = Rows(
            await Ok(
                admin.PostAsync(
                    "users/bulk",
                    new
                    {
                        userIds = new[] { stranger },
                        addStores = new[] { st1 },
                        deactivate = true,
                    }
                )
            )
        );
        Assert.Equal((404, "Failed"), ((int)foreign[0]["problem"]!["status"]!, (string)foreign[0]["outcome"]!));
        Assert.True((bool)(await (await other.GetAsync($"users/{stranger}")).ReadAsync())["isActive"]!);
        Assert.Equal(" / ", await LocationsOf(other, stranger));

        // Nobody without user management changes users in bulk.
        var plain = new TenantClient(api.CreateClient(), admin.Tenant);
        await admin.CreateUserAsync(TenantClient.NewUser("Pia", "Plain", "pia", password: "pia-password-1"));
        await plain.LogInAsync("pia", "pia-password-1");
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await plain.PostAsync("users/bulk", new { userIds = new[] { user }, deactivate = true })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Forbidden,
            (await Csv(plain, "users/import", "firstName,lastName,loginCode\nIda,Gast,ida\n")).StatusCode
        );
    }

    private static Task<HttpResponseMessage> Csv(TenantClient client, string path, string csv) =>
        client.Http.PostAsync(client.Url(path), new StringContent(csv, Encoding.UTF8, "text/csv"));

    private static async Task<string[]> Logins(TenantClient admin, string term) =>
        [
            .. (await (await admin.GetAsync($"users?search={term}")).ReadAsync())["items"]!
                .AsArray()
                .Select(i => (string)i!["loginCode"]!),
        ];

    [Fact]
    public async Task An_import_creates_each_valid_row_with_its_roles_and_locations_and_says_why_others_are_refused()
    {
        var admin = await api.CreateTenantAsync();
        await admin.PostAsync("roles", TenantClient.RoleBody("Sales", ("manage-order-discounts", 10)));
        await admin.PostAsync("roles", TenantClient.RoleBody("Stock", ("can-move-stock", null)));
        await AssignmentTests.SalePointAsync(admin, "SP1");
        await AssignmentTests.StoreAsync(admin, "ST1");
        await admin.CreateUserAsync(TenantClient.NewUser("Olga", "Old", "olga", "olga@example.com"));
        const string file =
            "\uFEFFfirstName,lastName,loginCode,email,type,roles,salePoints,stores\r\n"
            + "Anna,Maier,anna,anna@example.com,Account Executive,Sales,SP1:POS Cashier,ST1\r\n"
            + "\"O'Neil, Jr.\",Smith,oneil,,,sales|STOCK,,\r\n"
            + "Cara,Gruber,ANNA,,,,,\r\n"
            + "Dora,Wolf,dora,,0,,,\r\n"
            + "Emil,Berg,emil,,,Nope,,\r\n"
            + "Fritz,Adler,fritz,OLGA@example.com,,,,\r\n"
            + "Gerd,Roth,olga,,,,,\r\n"
            + "1nvalid,Name,inv,,,,,\r\n"
            + "Hugo,Lang,hugo,,,,SP9:POS Cashier,\r\n"
            + "Ines,Kurz,ines,,,,SP1,\r\n"
            + "Jana,Short,jana\r\n"
            + "\r\n";
        string[] outcomes =
        [
            "Applied",
            "Applied",
            "Failed",
            "Failed",
            "Failed",
            "Failed",
            "Failed",
            "Failed",
            "Failed",
            "Failed",
            "Failed",
        ];
        (string Field, int Status)[] problems =
        [
            ("loginCode", 409),
            ("type", 400),
            ("roles", 400),
            ("email", 409),
            ("loginCode", 409),
            ("firstName", 400),
            ("salePoints", 400),
            ("salePoints", 400),
            ("row", 400),
        ];

        var dry = await Ok(Csv(admin, "users/import?dryRun=true", file));
        var rows = Rows(dry);
        Assert.Equal(Enumerable.Range(2, 11), rows.Select(r => (int)r["row"]!));
        Assert.Equal(outcomes.Select(o => o == "Applied" ? "WouldApply" : o), rows.Select(r => (string)r["outcome"]!));
        Assert.All(rows, r => Assert.Null((string?)r["userId"]));
        Assert.Equal(
            problems,
            rows.Skip(2).Select(r => (r["problem"]!["errors"]!.AsObject().Single().Key, (int)r["problem"]!["status"]!))
        );
        Assert.Contains("row 2", (string)rows[2]["problem"]!["detail"]!);
        Assert.Equal(
            [
                "user Anna Maier (anna) created",
                "role 'Sales' given",
                "added sale point SP1 (Shop SP1) with role POS Cashier",
                "added store ST1 (Store ST1)",
            ],
            rows[0]["changes"]!.AsArray().Select(c => (string)c!)
        );
        Assert.Empty(await Logins(admin, "anna"));

        var real = await Ok(Csv(admin, "users/import", file));
        Assert.Equal(outcomes, Rows(real).Select(r => (string)r["outcome"]!));
        Assert.Equal(
            problems,
            Rows(real)
                .Skip(2)
                .Select(r => (r["problem"]!["errors"]!.AsObject().Single().Key, (int)r["problem"]!["status"]!))
        );
        var annaId = (string)Rows(real)[0]["userId"]!;
        var anna = await (await admin.GetAsync($"users/{annaId}")).ReadAsync();
        Assert.Equal(
            ("anna", "anna@example.com", "AccountExecutive"),
            ((string)anna["loginCode"]!, (string)anna["email"]!, (string)anna["type"]!)
        );
        Assert.Equal((string[])["Sales"], await RolesOf(admin, annaId));
        Assert.Equal("SP1:POS Cashier / ST1", await LocationsOf(admin, annaId));
        var oneil = (string)Rows(real)[1]["userId"]!;
        Assert.Equal("O'Neil, Jr.", (string)(await (await admin.GetAsync($"users/{oneil}")).ReadAsync())["firstName"]!);
        Assert.Equal((string[])["Sales", "Stock"], await RolesOf(admin, oneil));
        Assert.Equal(["anna"], await Logins(admin, "anna"));
        Assert.Empty(await Logins(admin, "cara"));

        // Importing the same file again creates nobody twice.
        Assert.Equal(0, (int)(await Ok(Csv(admin, "users/import", file)))["changed"]!);

        // A spreadsheet saved with semicolons (a European locale) reads the same.
        var semicolons = Rows(
            await Ok(
                Csv(
                    admin,
                    "users/import?dryRun=true",
                    "firstName;lastName;loginCode;roles\nKarl;Koch;karl;Sales|Stock\n"
                )
            )
        );
        Assert.Equal(
            ["user Karl Koch (karl) created", "role 'Sales' given", "role 'Stock' given"],
            semicolons[0]["changes"]!.AsArray().Select(c => (string)c!)
        );
    }

    [Fact]
    public async Task Malformed_bulk_bodies_and_import_files_are_refused_naming_the_field_never_with_a_500()
    {
        var admin = await api.CreateTenantAsync();
        var user = (string)(await admin.CreateUserAsync(TenantClient.NewUser("Vera", "Valid")))["id"]!;
        var role = await admin.RoleIdAsync("POS Cashier");
        var past = api.Clock.GetUtcNow().AddDays(-1);
        (object Body, string Field)[] bulk =
        [
            (new { deactivate = true }, "userIds"),
            (new { userIds = Array.Empty<string>(), deactivate = true }, "userIds"),
            (
                new { userIds = Enumerable.Range(0, 1001).Select(_ => Guid.NewGuid()).ToArray(), deactivate = true },
                "userIds"
            ),
            (new { userIds = new[] { user, user }, deactivate = true }, "userIds"),
            (new { userIds = new[] { Guid.Empty }, deactivate = true }, "userIds[0]"),
            (new { userIds = new[] { user } }, "body"),
            (
                new
                {
                    userIds = new[] { user },
                    assignRoles = new[] { new { roleId = role, validUntil = (DateTimeOffset?)past } },
                },
                "assignRoles[0].validUntil"
            ),
            (
                new { userIds = new[] { user }, assignRoles = new[] { new { roleId = Guid.Empty } } },
                "assignRoles[0].roleId"
            ),
            (
                new
                {
                    userIds = new[] { user },
                    assignRoles = new[] { new { roleId = role } },
                    removeRoles = new[] { role },
                },
                "removeRoles"
            ),
            (new { userIds = new[] { user }, removeRoles = new[] { role, role } }, "removeRoles"),
            (
                new { userIds = new[] { user }, addSalePoints = new[] { new { salePointId = Guid.NewGuid() } } },
                "addSalePoints[0].roleId"
            ),
            (
                new
                {
                    userIds = new[] { user },
                    addStores = new[] { role },
                    reason = "no",
                },
                "reason"
            ),
            (
                new
                {
                    userIds = new[] { user },
                    deactivate = true,
                    reason = new string('x', 501),
                },
                "reason"
            ),
            (new { userIds = new[] { "not-a-guid" }, deactivate = true }, "userIds[0]"),
            (new { userIds = new[] { user }, deactivate = "yes" }, "deactivate"),
            (new { userIds = new[] { user }, assignRoles = new object?[] { null } }, "assignRoles[0]"),
            (new { userIds = new[] { user }, addSalePoints = new object?[] { null, null } }, "addSalePoints[1]"),
            (new { userIds = new[] { user }, removeRoles = new object?[] { null } }, "removeRoles[0]"),
            (new { userIds = new[] { user }, addStores = new[] { Guid.Empty } }, "addStores[0]"),
        ];
        foreach (var (body, field) in bulk)
        {
            var response = await admin.PostAsync("users/bulk", body);
            Assert.True(
                response.StatusCode == HttpStatusCode.BadRequest,
                $"{field}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}"
            );
            Assert.Contains(field, (await response.ErrorsAsync()).Keys);
        }
        var notJson = await admin.Http.PostAsync(
            admin.Url("users/bulk"),
            new StringContent("{", Encoding.UTF8, "application/json")
        );
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        (string Csv, string Field)[] files =
        [
            ("", "body"),
            ("firstName,lastName,loginCode\r\n", "body"),
            ("firstName,lastName,login\nA,B,c\n", "columns"),
            ("firstName,lastName,loginCode,e-mail\nA,B,c,d\n", "columns"),
            ("firstName,lastName,loginCode,LOGINCODE\nA,B,c,d\n", "columns"),
            ("firstName,lastName,loginCode\n\"Anna,B,c\n", "body"),
            ("firstName,lastName,loginCode\n\"Anna\"x,B,c\n", "body"),
            (
                "firstName,lastName,loginCode\n" + string.Concat(Enumerable.Range(0, 1001).Select(i => $"A,B,u{i}\n")),
                "body"
            ),
            ("firstName,lastName,loginCode\n" + new string('x', 2 * 1024 * 1024), "body"),
        ];
        foreach (var (csv, field) in files)
        {
            var response = await Csv(admin, "users/import", csv);
            Assert.True(
                response.StatusCode == HttpStatusCode.BadRequest,
                $"{field}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}"
            );
            Assert.Contains(field, (await response.ErrorsAsync()).Keys);
        }
        Assert.Equal(
            HttpStatusCode.BadRequest,
            (await Csv(admin, "users/import?dryRun=maybe", "firstName,lastName,loginCode\nA,B,c\n")).StatusCode
        );
    }
}
