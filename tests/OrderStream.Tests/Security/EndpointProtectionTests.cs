using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.Tests.SalePoints;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Security;

/// <summary>
/// Issue #18, item 6: protection is opt-in per endpoint, so a test must notice an endpoint that forgot it, and an
/// endpoint that asks for the wrong feature. Every endpoint of the running service either names its secure features or
/// is on the reviewed list below; and for every feature an endpoint names, a user holding exactly that feature gets a
/// 2xx while a user with no rights gets a 403 that names it.
/// </summary>
public sealed class EndpointProtectionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string[] ManageUsers = ["may-access-back-office-users", "can-maintain-employee-data"];
    private static readonly string[] AskAboutOthers =
    [
        "can-check-authorization",
        "can-maintain-user-roles",
        "may-access-back-office-users",
    ];

    /// <summary>Endpoints that name no feature, reviewed one by one, and why.</summary>
    private static readonly Dictionary<string, string> Unguarded = new()
    {
        ["LogIn"] = "anonymous: the login itself",
        ["PosLogIn"] = "anonymous: the login at a POS",
        ["SignIn"] = "anonymous: the login, answered with the console's session cookie",
        ["GetSession"] = "self-service: the caller's own session",
        ["SignOut"] = "self-service: ends the caller's own session",
        ["ConfirmLicense"] = "anonymous: the mail's one-time token is the proof",
        ["GetMyPermissions"] = "self-service: the caller's own permissions",
        ["GetUserListPreferences"] = "self-service: the caller's own layout of the user list",
        ["SaveUserListPreferences"] = "self-service: the caller's own layout of the user list",
        ["ChangeOwnPassword"] = "self-service: the caller's own password, the current one given",
        ["RequestPasswordReset"] = "anonymous: tells nothing, the link goes to the account's own address",
        ["ResetPassword"] = "anonymous: the mail's one-time token is the proof",
        ["ListSecureFeatures"] = "the catalogue of features, the same for every user of the tenant",
        ["SetPin"] = "self-service; another user's PIN is decided in the handler",
        ["CheckAuthorization"] = "about oneself; about others decided in the handler",
        ["CheckAuthorizationMany"] = "about oneself; about others decided in the handler",
        ["GetEffectivePermissions"] = "about oneself; about others decided in the handler",
        ["GetDataScope"] = "about oneself; about others decided in the handler",
        ["CompareUsers"] = "decided in the handler (it asks about both users)",
        ["FeatureHolders"] = "decided in the handler",
    };

    /// <summary>Of those, the ones whose handler decides about other users, with the features it accepts.</summary>
    private static readonly Dictionary<string, string[]> DecidedInHandler = new()
    {
        ["SetPin"] = ManageUsers,
        ["CheckAuthorization"] = AskAboutOthers,
        ["CheckAuthorizationMany"] = AskAboutOthers,
        ["GetEffectivePermissions"] = AskAboutOthers,
        ["GetDataScope"] = AskAboutOthers,
        ["CompareUsers"] = AskAboutOthers,
        ["FeatureHolders"] = AskAboutOthers,
    };

    private static readonly string[] Users = ManageUsers,
        Rights = ["can-maintain-user-roles", "may-access-back-office-users"];
    private static readonly string[] Locations = ["can-maintain-locations"],
        SeeLocations = ["can-maintain-locations", .. ManageUsers];
    private static readonly string[] ViewBilling = ["can-view-billing", "can-manage-billing"],
        ManageBilling = ["can-manage-billing"];
    private static readonly string[] Roles = ["can-maintain-user-roles"];

    /// <summary>
    /// The features each endpoint should need, written from the product's rules (who manages users, rights, locations,
    /// billing, the audit log), not read from the code: an endpoint that asks for another feature fails here.
    /// </summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["GetAccessSettings"] = Roles,
        ["ChangeAccessSettings"] = Roles,
        ["GetFeatureSettings"] = Roles,
        ["ChangeFeatureSettings"] = Roles,
        ["GetFeatureTiers"] = Roles,
        ["ChangeFeatureTiers"] = Roles,
        ["UpdateCustomFeature"] = Roles,
        ["RemoveCustomFeature"] = Roles,
        ["ListAuditEntries"] = ["can-view-audit-log"],
        ["ListSetAsideEvents"] = ["can-view-audit-log"],
        ["RedeliverSetAsideEvent"] = ["can-view-audit-log"],
        ["UserHistory"] = ["can-view-audit-log", .. ManageUsers],
        ["DormantUsers"] = ViewBilling,
        ["SameNameWarnings"] = ViewBilling,
        ["RebuildBillingAccounts"] = ManageBilling,
        ["GetBillingSettings"] = ViewBilling,
        ["SaveBillingSettings"] = ManageBilling,
        ["SimulateBilling"] = ViewBilling,
        ["ListStatements"] = ViewBilling,
        ["GetStatement"] = ViewBilling,
        ["CloseStatement"] = ManageBilling,
        ["GetLicenses"] = ViewBilling,
        ["GetLicenseMail"] = ViewBilling,
        ["PurchaseLicenses"] = ManageBilling,
        ["SetLicenseEnforcement"] = ManageBilling,
        ["LinkLicense"] = ManageBilling,
        ["UnlinkLicense"] = ManageBilling,
        ["ResendLicenseConfirmation"] = ManageBilling,
        ["ListOnlineStores"] = Users,
        ["CreateOnlineStore"] = Users,
        ["GetOnlineStore"] = Users,
        ["UpdateOnlineStore"] = Users,
        ["BackOfficeUsersReport"] = [.. ManageUsers, "can-list-back-office-users"],
        ["PermissionMatrix"] = ["can-maintain-user-roles", "can-check-authorization", "may-access-back-office-users"],
        ["ListRoles"] = Rights,
        ["GetRole"] = Rights,
        ["CreateRole"] = Roles,
        ["UpdateRole"] = Roles,
        ["DeleteRole"] = Roles,
        ["CopyRole"] = Roles,
        ["PreviewRoleChange"] = Roles,
        ["AddCustomFeature"] = Roles,
        ["ListSalePoints"] = SeeLocations,
        ["GetSalePoint"] = SeeLocations,
        ["CreateSalePoint"] = Locations,
        ["UpdateSalePoint"] = Locations,
        ["DeactivateSalePoint"] = Locations,
        ["ReactivateSalePoint"] = Locations,
        ["ListStores"] = SeeLocations,
        ["GetStore"] = SeeLocations,
        ["CreateStore"] = Locations,
        ["UpdateStore"] = Locations,
        ["DeactivateStore"] = Locations,
        ["ReactivateStore"] = Locations,
        ["ListUsers"] = Users,
        ["RegisterUser"] = Users,
        ["GetUser"] = Users,
        ["UpdateUser"] = Users,
        ["SendPasswordReset"] = Users,
        ["SaveUserForm"] = Users,
        ["GetUserAccess"] = Rights,
        ["DeactivateUser"] = Users,
        ["ReactivateUser"] = Users,
        ["BulkChangeUsers"] = Users,
        ["ImportUsers"] = Users,
        ["SetSystemAdministrator"] = Users,
        ["AssignRole"] = Rights,
        ["UnassignRole"] = Rights,
        ["GrantFeature"] = Rights,
        ["RevokeFeature"] = Rights,
        ["GetUserSalePoints"] = SeeLocations,
        ["AddUserSalePoint"] = Users,
        ["AddAllUserSalePoints"] = Users,
        ["ChangeUserSalePointRole"] = Users,
        ["RemoveUserSalePoint"] = Users,
        ["RemoveAllUserSalePoints"] = Users,
        ["GetUserStores"] = SeeLocations,
        ["AddUserStore"] = Users,
        ["AddAllUserStores"] = Users,
        ["RemoveUserStore"] = Users,
        ["RemoveAllUserStores"] = Users,
        ["SetDefaultStore"] = Users,
        ["ClearDefaultStore"] = Users,
    };

    private sealed record Call(
        HttpMethod Method,
        string Path,
        object? Json = null,
        string? Csv = null,
        string? IfMatch = null
    );

    /// <summary>The caller of a call: a user holding exactly one feature through a role of its own.</summary>
    private sealed record Actor(TenantClient Client, string Id, string RoleId, string Feature, string? Type);

    private TenantClient _admin = null!;
    private int _n;

    [Fact]
    public void Every_endpoint_names_its_features_or_is_on_the_reviewed_list()
    {
        var endpoints = ApiEndpoints.Of(api);
        var open = endpoints.Where(e => e.Features is not { Count: > 0 }).Select(e => e.Name).ToHashSet();
        Assert.Empty(open.Except(Unguarded.Keys));
        Assert.Empty(Unguarded.Keys.Except(open));
        Assert.All(endpoints.Where(e => e.Anonymous), e =>
            Assert.StartsWith("anonymous", Unguarded[e.Name], StringComparison.Ordinal)
        );
        // Every guarded endpoint needs the features the product's rules say, and has a positive control below.
        var guarded = endpoints.Where(e => e.Features is { Count: > 0 }).ToList();
        Assert.Equal(Expected.Keys.Order(), guarded.Select(e => e.Name).Order());
        Assert.All(guarded, e =>
            Assert.True(
                Expected[e.Name].Order().SequenceEqual(e.Features!.Order()),
                $"{e} needs {string.Join(", ", e.Features!)}; the rules say {string.Join(", ", Expected[e.Name])}"
            )
        );
        var controlled = Requests().Keys.ToHashSet();
        Assert.Empty(guarded.Select(e => e.Name).Concat(DecidedInHandler.Keys).Except(controlled));
    }

    [Fact]
    public async Task Each_feature_an_endpoint_names_opens_it_and_no_rights_are_refused_naming_it()
    {
        _admin = await api.CreateTenantAsync();
        var plain = await PlainUserAsync();
        var actors = new Dictionary<string, Actor>();
        var requests = Requests();
        var wrong = new List<string>();
        foreach (var endpoint in ApiEndpoints.Of(api).Where(e => requests.ContainsKey(e.Name)))
        {
            var features = Expected.TryGetValue(endpoint.Name, out var expected)
                ? expected
                : DecidedInHandler[endpoint.Name];
            foreach (var feature in features)
            {
                if (!actors.TryGetValue(feature, out var actor))
                    actors[feature] = actor = await ActorAsync(feature);
                var allowed = await SendAsync(actor.Client, await requests[endpoint.Name](actor));
                if (!allowed.IsSuccessStatusCode)
                    wrong.Add(
                        $"{endpoint} with only '{feature}': {(int)allowed.StatusCode} "
                            + $"{await allowed.Content.ReadAsStringAsync()}"
                    );
            }
            var refused = await SendAsync(plain.Client, await requests[endpoint.Name](plain));
            var body = await refused.Content.ReadAsStringAsync();
            if (
                refused.StatusCode != HttpStatusCode.Forbidden
                || !features.Any(f => body.Contains(f, StringComparison.Ordinal))
            )
                wrong.Add($"{endpoint} without rights: {(int)refused.StatusCode} {body}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Only_a_System_Administrator_sets_the_flag_however_many_features_they_hold()
    {
        _admin = await api.CreateTenantAsync();
        foreach (var feature in ManageUsers)
        {
            var manager = await ActorAsync(feature);
            var target = await UserAsync(manager.Type);
            var refused = await manager.Client.PutAsync($"users/{target}/system-administrator", new { value = true });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Only a System Administrator", (string)(await refused.ReadAsync())["detail"]!);
            Assert.Equal(
                HttpStatusCode.OK,
                (await _admin.PutAsync($"users/{manager.Id}/system-administrator", new { value = true })).StatusCode
            );
            Assert.Equal(
                HttpStatusCode.OK,
                (await manager.Client.PutAsync($"users/{target}/system-administrator", new { value = true })).StatusCode
            );
        }
        // The flag does not open an endpoint by itself: a System Administrator without the feature is refused, naming
        // it.
        var bare = await PlainUserAsync();
        Assert.Equal(
            HttpStatusCode.OK,
            (await _admin.PutAsync($"users/{bare.Id}/system-administrator", new { value = true })).StatusCode
        );
        var unflagged = await UserAsync(null);
        var noFeature = await bare.Client.PutAsync($"users/{unflagged}/system-administrator", new { value = true });
        Assert.Equal(HttpStatusCode.Forbidden, noFeature.StatusCode);
        Assert.Contains("may-access-back-office-users", (string)(await noFeature.ReadAsync())["detail"]!);
    }

    [Fact]
    public async Task The_guard_names_what_is_missing_lets_a_smaller_grant_through_and_exempts_System_Administrators()
    {
        _admin = await api.CreateTenantAsync();
        Assert.Equal(
            HttpStatusCode.OK,
            (await _admin.PutAsync("access-settings", new { grantOnlyWhatYouHold = true })).StatusCode
        );
        var manager = await ActorAsync("can-maintain-user-roles");
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await _admin.PutAsync($"users/{manager.Id}/grants/manage-order-discounts", new { qualifier = 10 })
            ).StatusCode
        );
        var target = await UserAsync(null);
        var refused = await manager.Client.PutAsync(
            $"users/{target}/grants/manage-order-discounts",
            new { qualifier = 20 }
        );
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var why = (string)(await refused.ReadAsync())["detail"]!;
        Assert.Contains("'Grant only what you hold' is on", why);
        Assert.Contains("Manage Order Discounts", why);
        Assert.Contains("qualifier 20; you hold it with qualifier 10", why);
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await manager.Client.PutAsync($"users/{target}/grants/manage-order-discounts", new { qualifier = 10 })
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await manager.Client.PutAsync($"users/{target}/grants/manage-order-discounts", new { qualifier = 5 })
            ).StatusCode
        );

        // A System Administrator holding the right to give rights but not the feature gives it all the same.
        Assert.Equal(
            HttpStatusCode.OK,
            (await _admin.PutAsync($"users/{manager.Id}/system-administrator", new { value = true })).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (
                await manager.Client.PutAsync($"users/{target}/grants/manage-order-discounts", new { qualifier = 90 })
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.OK,
            (await manager.Client.PutAsync($"users/{target}/grants/can-move-stock", new { })).StatusCode
        );
    }

    private async Task<HttpResponseMessage> SendAsync(TenantClient client, Call call)
    {
        var request = new HttpRequestMessage(call.Method, client.Url(call.Path));
        if (call.Json is not null)
            request.Content = JsonContent.Create(call.Json);
        if (call.Csv is not null)
            request.Content = new StringContent(call.Csv, Encoding.UTF8, "text/csv");
        if (call.IfMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", call.IfMatch);
        return await client.Http.SendAsync(request);
    }

    private async Task<Actor> ActorAsync(string feature)
    {
        // A right bound to a back-office type is held only by a user of that type.
        var type = feature == "may-access-back-office-users" ? "BusinessGroupManager" : null;
        var role = (string)
            (
                await (
                    await _admin.PostAsync("roles", TenantClient.RoleBody($"Only {feature}", (feature, null)))
                ).ReadAsync()
            )["id"]!;
        var login = $"a{++_n}";
        var id = (string)
            (
                await _admin.CreateUserAsync(
                    new
                    {
                        firstName = "Only",
                        lastName = "Feature",
                        loginCode = login,
                        password = "actor-password-1",
                        type,
                    }
                )
            )["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsync($"users/{id}/roles/{role}", new { })).StatusCode);
        var client = new TenantClient(api.CreateClient(), _admin.Tenant);
        await client.LogInAsync(login, "actor-password-1");
        return new Actor(client, id, role, feature, type);
    }

    private async Task<Actor> PlainUserAsync()
    {
        var login = $"p{++_n}";
        var id = (string)
            (
                await _admin.CreateUserAsync(
                    new
                    {
                        firstName = "No",
                        lastName = "Rights",
                        loginCode = login,
                        password = "plain-password-1",
                    }
                )
            )["id"]!;
        var client = new TenantClient(api.CreateClient(), _admin.Tenant);
        await client.LogInAsync(login, "plain-password-1");
        return new Actor(client, id, await _admin.RoleIdAsync("POS Cashier"), "", null);
    }

    private async Task<string> UserAsync(string? type) =>
        (string)
            (
                await _admin.CreateUserAsync(
                    new
                    {
                        firstName = "Target",
                        lastName = "User",
                        loginCode = $"t{++_n}",
                        type,
                    }
                )
            )["id"]!;

    private async Task<string> CreatedAsync(string path, object body) =>
        (string)(await (await _admin.PostAsync(path, body)).ReadAsync())["id"]!;

    private Task<string> SalePointAsync() => AssignmentTests.SalePointAsync(_admin, $"SP{++_n}");

    private Task<string> StoreAsync() => AssignmentTests.StoreAsync(_admin, $"ST{++_n}");

    /// <summary>A user's creation set aside for Billing's handler, as if it had failed on it.</summary>
    private async Task<Guid> SetAsideAsync()
    {
        var user = Guid.Parse(await CreatedAsync("users", TenantClient.NewUser("Set", "Aside")));
        // Delivered first: a redelivery racing the first delivery of the same event met its account half made (409).
        await api.WaitForDeliveryAsync();
        var store = api.Services.GetRequiredService<Marten.IDocumentStore>();
        await using var events = store.QuerySession(_admin.Tenant);
        var created = (await events.Events.FetchStreamAsync(user))[0];
        await using var session = store.LightweightSession();
        var aside = new OrderStream.BuildingBlocks.Events.UndeliveredIntegrationEvent
        {
            Id = Guid.NewGuid(),
            EventId = created.Id,
            Tenant = _admin.Tenant,
            EventType = "UserCreated",
            Handler = "OrderStream.Modules.Billing.Accounts.UserLifecycleEventsHandler",
            Sequence = created.Sequence,
            Error = "test",
            FailedAt = api.Clock.GetUtcNow(),
        };
        session.Store(aside);
        await session.SaveChangesAsync();
        return aside.Id;
    }

    private Task<string> RoleAsync() => CreatedAsync("roles", TenantClient.RoleBody($"Role {++_n}"));

    private async Task<string> CustomFeatureAsync()
    {
        var code = $"custom-{++_n}";
        await _admin.PostAsync(
            "secure-features",
            new
            {
                code,
                name = "Custom",
                area = "custom",
            }
        );
        return code;
    }

    private string PastMonth() => api.Clock.GetUtcNow().AddMonths(-(++_n + 1)).ToString("yyyy-MM");

    private async Task<string> LinkedLicenseAsync(string user)
    {
        await _admin.PostAsync("licenses/purchase", new { count = 1 });
        var linked = await _admin.PostAsync(
            "licenses/link",
            new { userId = user, email = $"l{++_n}-{Guid.NewGuid():N}@example.com" }
        );
        Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
        var pool = await linked.ReadAsync();
        return (string)pool["licenses"]!.AsArray().Single(l => (string?)l!["userId"] == user)!["id"]!;
    }

    /// <summary>
    /// A valid request for each endpoint, on things made afresh for it (a call may change or remove them).
    /// </summary>
    private Dictionary<string, Func<Actor, Task<Call>>> Requests()
    {
        static Task<Call> Get(string path) => Task.FromResult(new Call(HttpMethod.Get, path));
        static Call Post(string path, object? body = null) => new(HttpMethod.Post, path, body ?? new { });
        static Call Put(string path, object body) => new(HttpMethod.Put, path, body);
        static Call Delete(string path) => new(HttpMethod.Delete, path);
        return new()
        {
            ["GetAccessSettings"] = _ => Get("access-settings"),
            ["ChangeAccessSettings"] = _ =>
                Task.FromResult(Put("access-settings", new { grantOnlyWhatYouHold = false })),
            ["GetFeatureSettings"] = _ => Get("feature-settings"),
            ["ChangeFeatureSettings"] = _ =>
                Task.FromResult(
                    Put(
                        "feature-settings",
                        new { values = new Dictionary<string, bool> { ["channel-advisor-api"] = false } }
                    )
                ),
            ["GetFeatureTiers"] = _ => Get("feature-tiers"),
            ["ChangeFeatureTiers"] = async a =>
            {
                // Only a System Administrator changes tiers: the caller is one here (FeatureTierTests has the refusal).
                if (a.Feature.Length > 0)
                    await _admin.PutAsync($"users/{a.Id}/system-administrator", new { value = true });
                return Put(
                    "feature-tiers",
                    new { tiers = new Dictionary<string, string> { ["can-move-stock"] = "None" } }
                );
            },
            ["UpdateCustomFeature"] = async _ =>
                Put(
                    $"secure-features/{await CustomFeatureAsync()}",
                    new
                    {
                        name = "Custom",
                        area = "custom",
                        active = true,
                    }
                ),
            ["RemoveCustomFeature"] = async _ => Delete($"secure-features/{await CustomFeatureAsync()}"),
            ["ListAuditEntries"] = _ => Get("audit"),
            ["ListSetAsideEvents"] = _ => Get("integration-events/set-aside"),
            ["RedeliverSetAsideEvent"] = async _ =>
                Post($"integration-events/set-aside/{await SetAsideAsync()}/redeliver"),
            ["UserHistory"] = async a => new Call(HttpMethod.Get, $"users/{await UserAsync(a.Type)}/history"),
            ["FeatureHolders"] = _ => Get("authorization/holders?feature=pos-login"),
            ["CheckAuthorization"] = async a =>
                Post("authorization/check", new { userId = await UserAsync(a.Type), feature = "pos-login" }),
            ["CheckAuthorizationMany"] = async a =>
                Post(
                    "authorization/check-many",
                    new { checks = new[] { new { userId = await UserAsync(a.Type), feature = "pos-login" } } }
                ),
            ["GetEffectivePermissions"] = async a => new Call(
                HttpMethod.Get,
                $"users/{await UserAsync(a.Type)}/effective-permissions"
            ),
            ["GetDataScope"] = async a => new Call(HttpMethod.Get, $"users/{await UserAsync(a.Type)}/data-scope"),
            ["CompareUsers"] = async a => new Call(HttpMethod.Get, $"users/{a.Id}/compare/{await UserAsync(a.Type)}"),
            ["DormantUsers"] = _ => Get("billing/dormant?days=30"),
            ["SameNameWarnings"] = _ => Get("billing/same-name-warnings"),
            ["RebuildBillingAccounts"] = _ => Task.FromResult(Post("billing/rebuild")),
            ["GetBillingSettings"] = _ => Get("billing/settings"),
            ["SaveBillingSettings"] = _ => Task.FromResult(Put("billing/settings", new { pricePerUser = 12.5m })),
            ["SimulateBilling"] = async a =>
            {
                var id = await UserAsync(a.Type);
                await api.WaitForDeliveryAsync(); // Billing learns of the user from Identity's event
                var on = api.Clock.GetUtcNow().AddDays(3).ToString("yyyy-MM-dd");
                return Post("billing/simulate", new { changes = new[] { new { userId = id, deactivateOn = on } } });
            },
            ["ListStatements"] = _ => Get("billing/statements?from=2026-01&to=2026-06"),
            ["GetStatement"] = _ => Get("billing/statements/2026-01"),
            ["CloseStatement"] = _ => Task.FromResult(Post($"billing/statements/{PastMonth()}/close")),
            ["GetLicenses"] = _ => Get("licenses"),
            ["GetLicenseMail"] = _ => Get("licenses/mail"),
            ["PurchaseLicenses"] = _ => Task.FromResult(Post("licenses/purchase", new { count = 1 })),
            ["SetLicenseEnforcement"] = _ => Task.FromResult(Put("licenses/enforcement", new { enforce = false })),
            ["LinkLicense"] = async a =>
            {
                await _admin.PostAsync("licenses/purchase", new { count = 1 });
                return Post(
                    "licenses/link",
                    new { userId = await UserAsync(a.Type), email = $"l{++_n}-{Guid.NewGuid():N}@example.com" }
                );
            },
            ["UnlinkLicense"] = async a => Post($"licenses/{await LinkedLicenseAsync(await UserAsync(a.Type))}/unlink"),
            ["ResendLicenseConfirmation"] = async a =>
            {
                var license = await LinkedLicenseAsync(await UserAsync(a.Type));
                // One confirmation mail a minute per license.
                api.Clock.Advance(TimeSpan.FromMinutes(2));
                return Post($"licenses/{license}/resend");
            },
            ["ListOnlineStores"] = _ => Get("online-stores"),
            ["CreateOnlineStore"] = _ =>
                Task.FromResult(Post("online-stores", new { code = $"OS{++_n}", name = "Web shop" })),
            ["GetOnlineStore"] = async _ => new Call(
                HttpMethod.Get,
                $"online-stores/{await CreatedAsync("online-stores", new { code = $"OS{++_n}", name = "Shop" })}"
            ),
            ["UpdateOnlineStore"] = async _ =>
                Put(
                    $"online-stores/{await CreatedAsync("online-stores", new { code = $"OS{++_n}", name = "Shop" })}",
                    new { code = $"OS{++_n}", name = "Renamed" }
                ),
            ["BackOfficeUsersReport"] = _ => Get("reports/back-office-users?format=json"),
            ["PermissionMatrix"] = _ => Get("reports/permission-matrix?format=json"),
            ["ListRoles"] = _ => Get("roles"),
            ["CreateRole"] = _ => Task.FromResult(Post("roles", TenantClient.RoleBody($"Role {++_n}"))),
            ["GetRole"] = async _ => new Call(HttpMethod.Get, $"roles/{await RoleAsync()}"),
            ["UpdateRole"] = async _ => Put($"roles/{await RoleAsync()}", TenantClient.RoleBody($"Role {++_n}")),
            ["DeleteRole"] = async _ => Delete($"roles/{await RoleAsync()}"),
            ["CopyRole"] = async _ => Post($"roles/{await RoleAsync()}/copy", new { name = $"Role {++_n}" }),
            ["PreviewRoleChange"] = async _ =>
                Post($"roles/{await RoleAsync()}/preview", new { grants = Array.Empty<object>() }),
            ["AddCustomFeature"] = _ =>
                Task.FromResult(
                    Post(
                        "secure-features",
                        new
                        {
                            code = $"custom-{++_n}",
                            name = "Custom",
                            area = "custom",
                        }
                    )
                ),
            ["ListSalePoints"] = _ => Get("sale-points"),
            ["CreateSalePoint"] = _ => Task.FromResult(Post("sale-points", new { code = $"SP{++_n}", name = "Shop" })),
            ["GetSalePoint"] = async _ => new Call(HttpMethod.Get, $"sale-points/{await SalePointAsync()}"),
            ["UpdateSalePoint"] = async _ =>
                Put($"sale-points/{await SalePointAsync()}", new { code = $"SP{++_n}", name = "Renamed" }),
            ["DeactivateSalePoint"] = async _ => Post($"sale-points/{await SalePointAsync()}/deactivate"),
            ["ReactivateSalePoint"] = async _ =>
            {
                var id = await SalePointAsync();
                await _admin.PostAsync($"sale-points/{id}/deactivate", new { });
                return Post($"sale-points/{id}/reactivate");
            },
            ["ListStores"] = _ => Get("stores"),
            ["CreateStore"] = _ => Task.FromResult(Post("stores", new { code = $"ST{++_n}", name = "Store" })),
            ["GetStore"] = async _ => new Call(HttpMethod.Get, $"stores/{await StoreAsync()}"),
            ["UpdateStore"] = async _ =>
                Put($"stores/{await StoreAsync()}", new { code = $"ST{++_n}", name = "Renamed" }),
            ["DeactivateStore"] = async _ => Post($"stores/{await StoreAsync()}/deactivate"),
            ["ReactivateStore"] = async _ =>
            {
                var id = await StoreAsync();
                await _admin.PostAsync($"stores/{id}/deactivate", new { });
                return Post($"stores/{id}/reactivate");
            },
            ["ListUsers"] = _ => Get("users"),
            ["RegisterUser"] = _ =>
                Task.FromResult(
                    Post(
                        "users",
                        new
                        {
                            firstName = "New",
                            lastName = "User",
                            loginCode = $"n{++_n}",
                        }
                    )
                ),
            ["GetUser"] = async a => new Call(HttpMethod.Get, $"users/{await UserAsync(a.Type)}"),
            // The login code stays as it is: changing it needs can-maintain-employee-data besides the endpoint's gate.
            ["SendPasswordReset"] = async a =>
            {
                var user = TenantClient.NewUser(login: $"r{++_n}", email: $"reset{_n}@example.com", type: a.Type);
                return Post($"users/{(string)(await _admin.CreateUserAsync(user))["id"]!}/password-reset");
            },
            ["UpdateUser"] = async a =>
            {
                var id = await UserAsync(a.Type);
                var user = await (await _admin.GetAsync($"users/{id}")).ReadAsync();
                return Put(
                    $"users/{id}",
                    new
                    {
                        firstName = "Re",
                        lastName = "Named",
                        loginCode = (string)user["loginCode"]!,
                        type = a.Type,
                    }
                );
            },
            ["SaveUserForm"] = async a =>
            {
                var id = await UserAsync(a.Type);
                var read = await _admin.GetAsync($"users/{id}");
                var version = read.Headers.ETag!.Tag;
                var form = new
                {
                    firstName = "Re",
                    lastName = "Named",
                    loginCode = (string)(await read.ReadAsync())["loginCode"]!,
                    type = a.Type,
                };
                return new Call(HttpMethod.Put, $"users/{id}/form", form, IfMatch: version);
            },
            ["GetUserAccess"] = async a => new Call(HttpMethod.Get, $"users/{await UserAsync(a.Type)}/access"),
            ["DeactivateUser"] = async a => Post($"users/{await UserAsync(a.Type)}/deactivate"),
            ["ReactivateUser"] = async a =>
            {
                var id = await UserAsync(a.Type);
                await _admin.PostAsync($"users/{id}/deactivate", new { });
                return Post($"users/{id}/reactivate");
            },
            ["BulkChangeUsers"] = async a =>
                Post("users/bulk", new { userIds = new[] { await UserAsync(a.Type) }, deactivate = true }),
            ["ImportUsers"] = _ =>
                Task.FromResult(
                    new Call(
                        HttpMethod.Post,
                        "users/import?dryRun=true",
                        Csv: $"firstName,lastName,loginCode\nIra,Import,i{++_n}\n"
                    )
                ),
            ["SetPin"] = async a => Put($"users/{await UserAsync(a.Type)}/pin", new { pin = "4711" }),
            ["SetSystemAdministrator"] = async a =>
            {
                // Only a System Administrator sets the flag: the caller is one here (its refusal is the test above).
                if (a.Feature.Length > 0)
                    await _admin.PutAsync($"users/{a.Id}/system-administrator", new { value = true });
                return Put($"users/{await UserAsync(a.Type)}/system-administrator", new { value = true });
            },
            ["AssignRole"] = async a => Put($"users/{await UserAsync(a.Type)}/roles/{a.RoleId}", new { }),
            ["UnassignRole"] = async a =>
            {
                var id = await UserAsync(a.Type);
                await _admin.PutAsync($"users/{id}/roles/{a.RoleId}", new { });
                return Delete($"users/{id}/roles/{a.RoleId}");
            },
            ["GrantFeature"] = async a =>
                Put(
                    $"users/{await UserAsync(a.Type)}/grants/{(a.Feature.Length > 0 ? a.Feature : "can-move-stock")}",
                    new { }
                ),
            ["RevokeFeature"] = async a =>
            {
                var (id, feature) = (await UserAsync(a.Type), a.Feature.Length > 0 ? a.Feature : "can-move-stock");
                await _admin.PutAsync($"users/{id}/grants/{feature}", new { });
                return Delete($"users/{id}/grants/{feature}");
            },
            ["GetUserSalePoints"] = async a => new Call(HttpMethod.Get, $"users/{await UserAsync(a.Type)}/sale-points"),
            ["AddUserSalePoint"] = async a =>
                Post(
                    $"users/{await UserAsync(a.Type)}/sale-points",
                    new { salePointId = await SalePointAsync(), roleId = a.RoleId }
                ),
            ["AddAllUserSalePoints"] = async a =>
                Post($"users/{await UserAsync(a.Type)}/sale-points/all", new { roleId = a.RoleId }),
            ["ChangeUserSalePointRole"] = async a =>
            {
                var (id, sp) = (await UserAsync(a.Type), await SalePointAsync());
                await _admin.PostAsync($"users/{id}/sale-points", new { salePointId = sp, roleId = a.RoleId });
                return Put($"users/{id}/sale-points/{sp}", new { roleId = a.RoleId });
            },
            ["RemoveUserSalePoint"] = async a =>
            {
                var (id, sp) = (await UserAsync(a.Type), await SalePointAsync());
                await _admin.PostAsync($"users/{id}/sale-points", new { salePointId = sp, roleId = a.RoleId });
                return Delete($"users/{id}/sale-points/{sp}");
            },
            ["RemoveAllUserSalePoints"] = async a => Delete($"users/{await UserAsync(a.Type)}/sale-points"),
            ["GetUserStores"] = async a => new Call(HttpMethod.Get, $"users/{await UserAsync(a.Type)}/stores"),
            ["AddUserStore"] = async a =>
                Post($"users/{await UserAsync(a.Type)}/stores", new { storeId = await StoreAsync() }),
            ["AddAllUserStores"] = async a =>
                Post($"users/{await UserAsync(a.Type)}/stores/all", new { includeFuture = false }),
            ["RemoveUserStore"] = async a =>
            {
                var (id, store) = (await UserAsync(a.Type), await StoreAsync());
                await _admin.PostAsync($"users/{id}/stores", new { storeId = store });
                return Delete($"users/{id}/stores/{store}");
            },
            ["RemoveAllUserStores"] = async a => Delete($"users/{await UserAsync(a.Type)}/stores"),
            ["SetDefaultStore"] = async a =>
            {
                var (id, store) = (await UserAsync(a.Type), await StoreAsync());
                await _admin.PostAsync($"users/{id}/stores", new { storeId = store });
                return Put($"users/{id}/default-store", new { storeId = store });
            },
            ["ClearDefaultStore"] = async a =>
            {
                var (id, store) = (await UserAsync(a.Type), await StoreAsync());
                await _admin.PostAsync($"users/{id}/stores", new { storeId = store });
                await _admin.PutAsync($"users/{id}/default-store", new { storeId = store });
                return Delete($"users/{id}/default-store");
            },
        };
    }
}
