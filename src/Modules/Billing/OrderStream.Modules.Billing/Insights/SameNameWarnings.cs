using System.Globalization;
using System.Text;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Accounts;
using OrderStream.Modules.Billing.Statements;

namespace OrderStream.Modules.Billing.Insights;

/// <summary>
/// Accounts billed as one employee because their names match (an intended merge, or an accident), and accounts whose
/// names differ only in accents or punctuation (probably one person, billed twice) — so an administrator can fix
/// either. Only accounts active now are considered.
/// </summary>
internal static class SameNameWarnings
{
    internal sealed record Account(string UserId, string Name);

    internal sealed record Group(string EmployeeName, IReadOnlyList<Account> Accounts);

    internal sealed record Result(IReadOnlyList<Group> CountedAsOne, IReadOnlyList<Group> PossiblyOnePerson);

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/billing/same-name-warnings",
                    async (
                        IQuerySession session,
                        TenantContext tenantContext,
                        BillingAccountsCache cache,
                        CancellationToken ct
                    ) =>
                    {
                        var active = (await cache.AccountsAsync(tenantContext.Tenant, ct))
                            .Where(a => a.IsActive)
                            .Select(a => new Account(a.UserId.ToString(), a.Names[^1].EmployeeName))
                            .ToList();
                        var countedAsOne = active
                            .GroupBy(a => BillingPolicy.EmployeeKey(a.Name))
                            .Where(g => g.Count() > 1)
                            .Select(g => Ordered(g.OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.UserId)))
                            .OrderBy(g => g.EmployeeName)
                            .ToList();
                        var possiblyOne = active
                            .GroupBy(a => Loose(a.Name))
                            .Where(g => g.Select(a => BillingPolicy.EmployeeKey(a.Name)).Distinct().Count() > 1)
                            .Select(g => Ordered(g.OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.UserId)))
                            .OrderBy(g => g.EmployeeName)
                            .ToList();
                        return new Result(countedAsOne, possiblyOne);
                    }
                )
                .WithTags("Billing")
                .WithName("SameNameWarnings")
                .WithSummary("List users billed twice under one name")
                .WithDescription("Users with the same name who may be one person billed twice.")
                .RequireFeature(BillingModule.ViewBilling);
    }

    private static Group Ordered(IEnumerable<Account> accounts)
    {
        var list = accounts.ToList();
        return new Group(list[0].Name, list);
    }

    /// <summary>
    /// Letters and digits only, without accents, upper case: "Jürgen-Müller" and "Jurgen Muller" meet here.
    /// </summary>
    private static string Loose(string name)
    {
        var key = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
            if (char.IsLetterOrDigit(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
                key.Append(char.ToUpperInvariant(c));
        return key.ToString();
    }
}
