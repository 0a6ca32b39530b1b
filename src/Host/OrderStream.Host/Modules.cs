using System.Reflection;

namespace OrderStream.Host;

/// <summary>
/// The one list of module assemblies. A new module is one line here; everything inside it is found by scanning.
/// </summary>
public static class Modules
{
    public static readonly IReadOnlyList<Assembly> Assemblies =
    [
        typeof(OrderStream.Modules.Identity.IdentityModule).Assembly,
        typeof(OrderStream.Modules.Billing.BillingModule).Assembly,
        typeof(OrderStream.Modules.Roles.RolesModule).Assembly,
        typeof(OrderStream.Modules.SalePoints.SalePointsModule).Assembly,
        typeof(OrderStream.Modules.Audit.AuditModule).Assembly,
    ];
}
