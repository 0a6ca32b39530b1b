using Microsoft.Extensions.DependencyInjection;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Modules.Roles.Grants;
using OrderStream.Modules.Roles.Roles;

namespace OrderStream.Modules.Roles;

/// <summary>
/// What the operator's bootstrap command asks of Roles: a new tenant's default roles, and the first administrator's
/// role.
/// </summary>
public static class RolesBootstrap
{
    public const string AdministratorRole = "Administrator";

    /// <summary>The default role of each back-office user type.</summary>
    private const string CashierRole = "POS Cashier";

    private static readonly Dictionary<string, string> TypeRoles = new()
    {
        ["BusinessGroupManager"] = "Business Group Manager",
        ["ProductionCoordinator"] = "Production Coordinator",
        ["AccountExecutive"] = "Account Executive",
        ["OnlineStoreAdministrator"] = "Online Store Administrator",
    };

    /// <summary>
    /// Creates the default roles when the tenant has none (they are editable afterwards) and gives the administrator
    /// the Administrator role. Idempotent; answers how many roles it created. The operator is trusted: no tier check
    /// applies.
    /// </summary>
    public static async Task<int> SeedAsync(IServiceProvider services, string tenant, Guid administratorId)
    {
        var catalogue = services.GetRequiredService<FeatureCatalogue>();
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession(tenant);
        session.LastModifiedBy = "bootstrap";
        var created = 0;
        var roles = (await session.Query<Role>().Where(r => !r.IsDeleted).ToListAsync()).ToList();
        if (roles.Count == 0)
        {
            foreach (var (name, description, features) in Defaults(catalogue))
            {
                var role = new RoleCreated(
                    Guid.CreateVersion7(),
                    name,
                    description,
                    features.Select(f => new Grant(f, null)).ToList(),
                    null
                );
                session.Events.StartStream<Role>(role.RoleId, role);
                roles.Add(Role.Create(role));
                created++;
            }
        }
        var administrator = roles.FirstOrDefault(r => r.Name == AdministratorRole);
        var access = await session.LoadAsync<UserAccess>(UserAccess.StreamId(administratorId));
        if (administrator is not null && access?.Roles.Any(r => r.RoleId == administrator.Id) != true)
            session.Events.Append(
                UserAccess.StreamId(administratorId),
                new RoleAssigned(administratorId, administrator.Id, administrator.Name)
            );
        await session.SaveChangesAsync();
        return created;
    }

    /// <summary>
    /// The demo users' rights: each back-office type's default role; an Online Store Administrator with reports only
    /// gets just the features of their reports (the role would give full store access). Cashiers (type "") get the POS
    /// Cashier's role.
    /// </summary>
    /// <returns>Each user's role, for their role at the demo sale points.</returns>
    public static async Task<IReadOnlyList<(Guid UserId, Guid RoleId)>> GiveDemoRightsAsync(
        IServiceProvider services,
        string tenant,
        IReadOnlyList<(Guid UserId, string Type, IReadOnlyList<string> Reports)> users
    )
    {
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession(tenant);
        session.LastModifiedBy = "bootstrap";
        var roles = (await session.Query<Role>().Where(r => !r.IsDeleted).ToListAsync()).ToDictionary(r => r.Name);
        var given = new List<(Guid, Guid)>();
        foreach (var (userId, type, reports) in users)
        {
            var stream = UserAccess.StreamId(userId);
            var name = type.Length == 0 ? CashierRole : TypeRoles.GetValueOrDefault(type);
            if (type == "OnlineStoreAdministrator" && reports.Count > 0)
                foreach (var report in reports)
                    session.Events.Append(
                        stream,
                        new FeatureGranted(userId, $"online-store-report-{report}", null, false, null)
                    );
            else if (name is not null && roles.GetValueOrDefault(name) is { } role)
            {
                session.Events.Append(stream, new RoleAssigned(userId, role.Id, role.Name));
                given.Add((userId, role.Id));
            }
        }
        await session.SaveChangesAsync();
        return given;
    }

    private static IEnumerable<(string Name, string Description, IReadOnlyList<string> Features)> Defaults(
        FeatureCatalogue catalogue
    )
    {
        IReadOnlyList<string> Of(Func<SecureFeature, bool> which) =>
            catalogue.Features.Where(f => f.Active && which(f)).Select(f => f.Code).ToList();
        IReadOnlyList<string> ForType(string type) => Of(f => f.UserTypes?.Contains(type) == true);
        // Everything an office administrator needs, without the support tiers and without rights bound to a back-office
        // type.
        yield return (
            AdministratorRole,
            "Runs the tenant: users, their rights, locations, billing and the audit log.",
            Of(f => f.Tier is Tier.None or Tier.HostCompanyManager && f.UserTypes is null)
        );
        yield return (
            TypeRoles["BusinessGroupManager"],
            "The rights a Business Group Manager may be given (seed 000), all of them.",
            ForType("BusinessGroupManager")
        );
        yield return (
            TypeRoles["ProductionCoordinator"],
            "The four rights of a Production Coordinator.",
            ForType("ProductionCoordinator")
        );
        yield return (
            TypeRoles["AccountExecutive"],
            "An Account Executive who may see their commissions.",
            ForType("AccountExecutive")
        );
        yield return (
            TypeRoles["OnlineStoreAdministrator"],
            "Full access to the assigned online store and its reports.",
            ForType("OnlineStoreAdministrator")
        );
        yield return (
            CashierRole,
            "Logs in to the POS at their sale points and runs the till.",
            ["pos-login", "is-pos-till-operator"]
        );
        yield return (
            "Store Manager",
            "Runs a store: its reports, purchase invoices, inventory counts, and its sale points' sales and settings.",
            [
                "see-store-reports",
                "enter-purchase-invoices",
                "count-inventory",
                "see-sale-point-sales",
                "configure-sale-point",
                "pos-login",
                "can-confirm-cash-count",
            ]
        );
    }
}
