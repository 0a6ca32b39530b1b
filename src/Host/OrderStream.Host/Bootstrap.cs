using System.Globalization;
using System.Text.RegularExpressions;
using Marten;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity;
using OrderStream.Modules.Roles;
using OrderStream.Modules.SalePoints;

namespace OrderStream.Host;

/// <summary>
/// <c>bootstrap --tenant acme --name "Acme Ltd" --time-zone Europe/Vienna --currency EUR --admin-login admin
/// --admin-password …</c> creates a tenant and its first System Administrator; <c>--demo</c> creates the demo tenant
/// with users of every type. Idempotent: what exists already is left as it is and reported.
/// </summary>
public static partial class Bootstrap
{
    public static async Task<int> RunAsync(IServiceProvider services, IConfiguration configuration, string[] args)
    {
        var options = Parse(args);
        var demo = options.ContainsKey("demo");
        string Option(string name, string? fallback = null) =>
            options.TryGetValue(name, out var v) && v is not null
                ? v
                : fallback ?? throw new ArgumentException($"--{name} is required.");
        try
        {
            var tenant = new Tenant
            {
                Id = Option("tenant", demo ? "demo" : null),
                Name = Option("name", demo ? "Demo Ltd" : null),
                TimeZone = Option("time-zone", demo ? "Europe/Vienna" : null),
                Currency = Option("currency", demo ? "EUR" : null),
            };
            var adminLogin = Option("admin-login", demo ? "admin" : null);
            var adminPassword = Option("admin-password", demo ? IdentityBootstrap.DemoPassword : null);
            Validate(tenant, adminPassword);

            var store = services.GetRequiredService<IDocumentStore>();
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var created = await CreateTenantAsync(store, tenant, services.GetRequiredService<TimeProvider>());
            Console.WriteLine(
                created
                    ? $"Created tenant '{tenant.Id}' ({tenant.Name})."
                    : $"Tenant '{tenant.Id}' exists already; left as it is."
            );

            var (admin, adminId) = await IdentityBootstrap.CreateAdministratorAsync(
                services,
                tenant.Id,
                adminLogin,
                adminPassword
            );
            Console.WriteLine(
                admin
                    ? $"Created System Administrator '{adminLogin}'."
                    : $"User '{adminLogin}' exists already; left as it is."
            );
            var roles = await RolesBootstrap.SeedAsync(services, tenant.Id, adminId);
            if (roles > 0)
                Console.WriteLine($"Created {roles} default roles; '{adminLogin}' holds the Administrator role.");
            if (demo && admin)
            {
                var users = await IdentityBootstrap.SeedDemoUsersAsync(services, tenant.Id);
                var given = await RolesBootstrap.GiveDemoRightsAsync(
                    services,
                    tenant.Id,
                    users.Select(u => (u.Id, u.Type, u.ReportCodes)).ToList()
                );
                var locations = await SalePointsBootstrap.SeedDemoAsync(services, tenant.Id, adminId, given);
                Console.WriteLine(
                    "Seeded the demo users, each with the default role of their type: "
                        + string.Join(", ", users.Select(u => $"{u.LoginCode} ({NameOf(u.Type)})"))
                        + $"; {locations} sale points and stores, and the users at them."
                );
            }
            if (demo)
                PrintDemo(configuration, tenant.Id, adminLogin, adminPassword);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FluentValidation.ValidationException)
        {
            Console.Error.WriteLine($"bootstrap: {e.Message}");
            return 2;
        }
    }

    private static async Task<bool> CreateTenantAsync(IDocumentStore store, Tenant tenant, TimeProvider clock)
    {
        await using var platform = store.LightweightSession();
        if (await platform.LoadAsync<Tenant>(tenant.Id) is not null)
            return false;
        tenant.CreatedAt = clock.GetUtcNow();
        platform.Insert(tenant);
        await platform.SaveChangesAsync();
        await using var own = store.LightweightSession(tenant.Id);
        own.LastModifiedBy = "bootstrap";
        own.Events.StartStream(
            TenantCreated.StreamId(tenant.Id),
            new TenantCreated(tenant.Id, tenant.Name, tenant.TimeZone, tenant.Currency, tenant.CreatedAt)
        );
        await own.SaveChangesAsync();
        return true;
    }

    private static void PrintDemo(IConfiguration configuration, string tenant, string login, string password)
    {
        var url = (configuration["ORDERSTREAM_URL"] ?? "http://localhost:5080").TrimEnd('/');
        var (demo, loginBody) = (
            IdentityBootstrap.DemoPassword,
            $"{{\"loginCode\":\"{login}\",\"password\":\"{password}\"}}"
        );
        Console.WriteLine(
            $"""

            OrderStream demo
              Admin console : {url}/{tenant}/sign-in
              API reference : {url}/scalar
              Tenant        : {tenant}
              Administrator : {login} / {password}
              Demo users    : bgruber, pkoch, aegger, jmuller, osteiner / {demo} (POS PIN {IdentityBootstrap.DemoPin})
              POS cashiers  : lbauer (reads German), fwagner, mhofer, lpichler, smoser, emayr, hberger, dfuchs
              Log in        : curl -s -X POST {url}/api/tenants/{tenant}/auth/login \
                                -H 'Content-Type: application/json' -d '{loginBody}'
            """
        );
    }

    private static string NameOf(string type) => type.Length == 0 ? "POS cashier" : type;

    private static void Validate(Tenant tenant, string password)
    {
        if (!TenantCode().IsMatch(tenant.Id))
            throw new ArgumentException("--tenant must be a lowercase slug (a-z, 0-9, hyphens), 2 to 63 characters.");
        if (string.IsNullOrWhiteSpace(tenant.Name) || tenant.Name.Length > 200)
            throw new ArgumentException("--name must be 1 to 200 characters.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(tenant.TimeZone, out _))
            throw new ArgumentException($"--time-zone '{tenant.TimeZone}' is not an IANA time zone.");
        var currencies = CultureInfo
            .GetCultures(CultureTypes.SpecificCultures)
            .Select(c => new RegionInfo(c.Name).ISOCurrencySymbol)
            .ToHashSet();
        if (!currencies.Contains(tenant.Currency))
            throw new ArgumentException($"--currency '{tenant.Currency}' is not an ISO 4217 code.");
        if (password.Length is < 10 or > 128)
            throw new ArgumentException("--admin-password must be 10 to 128 characters.");
    }

    private static Dictionary<string, string?> Parse(string[] args)
    {
        var options = new Dictionary<string, string?>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            var name = args[i][2..];
            options[name] =
                i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
        }
        return options;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex TenantCode();
}
