using System.Globalization;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Accounts;
using OrderStream.Modules.Billing.Settings;

namespace OrderStream.Modules.Billing.Statements;

/// <summary>Everything a statement is worked out from, read once per request.</summary>
internal sealed record BillingData(
    IReadOnlyCollection<BillingAccount> Accounts,
    IReadOnlyList<ClosedStatement> Closed,
    BillingSettingsResponse Settings,
    TimeZoneInfo Zone,
    DateTimeOffset Now
)
{
    public static async Task<BillingData> LoadAsync(
        IQuerySession session,
        TenantDirectory tenants,
        TenantContext tenant,
        TimeProvider clock,
        BillingAccountsCache cache,
        CancellationToken ct
    )
    {
        var settings = await OrderStream.Modules.Billing.Settings.GetBillingSettings.ReadAsync(
            session,
            tenants,
            tenant.Tenant,
            ct
        );
        var accounts = await cache.AccountsAsync(tenant.Tenant, ct);
        var closed = await session.Query<ClosedStatement>().ToListAsync(ct);
        return new BillingData(
            accounts,
            closed,
            settings,
            TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone),
            clock.GetUtcNow()
        );
    }

    /// <summary>
    /// Employee keys of the names seen in this request, worked out once however many months are computed.
    /// </summary>
    public EmployeeKeys Keys { get; } = new();

    public Statement StatementFor(MonthWindow month) =>
        Closed.FirstOrDefault(c => c.Id == month.Key)?.Statement
        ?? StatementCalculator.Compute(
            Accounts,
            month,
            Settings.PricePerUser,
            Settings.Currency,
            Now,
            Closed,
            Zone,
            Keys
        );

    /// <summary>
    /// Count and total of a month for the series: the frozen figures of a closed month, otherwise counted without
    /// listing.
    /// </summary>
    public (int Count, decimal Total) FiguresFor(MonthWindow month)
    {
        if (Closed.FirstOrDefault(c => c.Id == month.Key)?.Statement is { } frozen)
            return (frozen.Count, frozen.GrandTotal);
        if (Closed.Count > 0)
        {
            var statement = StatementFor(month); // adjustments may apply
            return (statement.Count, statement.GrandTotal);
        }
        var count = StatementCalculator.CountEmployees(Accounts, month, Keys);
        return (count, count * Settings.PricePerUser);
    }

    /// <summary>A month as the API names it (yyyy-MM), or a 400 naming the field.</summary>
    public static (int Year, int Month) ParseMonth(string? value, string field) =>
        DateTime.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m)
        && m.Year is >= 2000 and <= 2100
            ? (m.Year, m.Month)
            : throw new FieldRuleException(field, $"{field} must be a month written yyyy-MM, such as 2026-07.");
}
