using System.Text;
using OrderStream.Modules.Billing.Accounts;

namespace OrderStream.Modules.Billing.Statements;

internal enum BillingReason
{
    ActiveWholeMonth,
    DeactivatedDuringMonth,
}

/// <summary>
/// A calendar month in the tenant's time zone, as instants: [Start, End), and the end of its first day.
/// </summary>
internal sealed record MonthWindow(
    int Year,
    int Month,
    DateTimeOffset Start,
    DateTimeOffset End,
    DateTimeOffset FirstDayEnd
)
{
    public string Key => $"{Year:D4}-{Month:D2}";

    public static MonthWindow Of(int year, int month, TimeZoneInfo zone)
    {
        var first = new DateTime(year, month, 1);
        return new MonthWindow(
            year,
            month,
            LocalMidnight(first, zone),
            LocalMidnight(first.AddMonths(1), zone),
            LocalMidnight(first.AddDays(1), zone)
        );
    }

    public static MonthWindow Containing(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return Of(local.Year, local.Month, zone);
    }

    public MonthWindow Next(TimeZoneInfo zone) => Month == 12 ? Of(Year + 1, 1, zone) : Of(Year, Month + 1, zone);

    /// <summary>
    /// Midnight of a local date as an instant; where a daylight-saving jump skips midnight, the day starts when the
    /// clock resumes.
    /// </summary>
    public static DateTimeOffset LocalMidnight(DateTime date, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(date, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(1);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}

/// <summary>
/// The billing policy of seed 000 (PRODUCT.md, ADR 0008): an account is billable for month M when it was active on
/// every day of M (in the tenant's time zone), or when it was deactivated during M. Creation or reactivation during M
/// does not make M billable by itself; usage never matters. Employees are counted once, by normalised name.
/// </summary>
internal static class BillingPolicy
{
    public static BillingReason? Billable(IReadOnlyList<ActivePeriod> periods, MonthWindow month)
    {
        if (periods.Any(p => p.Until is { } until && until >= month.Start && until < month.End))
            return BillingReason.DeactivatedDuringMonth;
        // Without a deactivation inside the month, one period covers every day only if it began by the end of the first
        // day and lasts past the month's end.
        return periods.Any(p => p.From < month.FirstDayEnd && (p.Until is null || p.Until >= month.End))
            ? BillingReason.ActiveWholeMonth
            : null;
    }

    /// <summary>
    /// Names compared trimmed, case-insensitively, with inner white space collapsed (seed 000: "the same employee
    /// name").
    /// </summary>
    public static string EmployeeKey(string name)
    {
        var key = new StringBuilder(name.Length);
        foreach (var word in name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (key.Length > 0)
                key.Append(' ');
            key.Append(word.ToUpperInvariant());
        }
        return key.ToString();
    }
}
