using OrderStream.Modules.Billing.Accounts;

namespace OrderStream.Modules.Billing.Statements;

internal sealed record StatementAccount(string UserId, string Name, BillingReason Reason);

internal sealed record StatementEmployee(string EmployeeName, IReadOnlyList<StatementAccount> Accounts);

/// <summary>
/// A correction for a closed month, carried on a later open statement: +1 or -1 employee at that month's price.
/// </summary>
internal sealed record AdjustmentLine(string ForMonth, string EmployeeName, int Change, decimal Amount);

internal sealed record Statement(
    string Month,
    bool Provisional,
    bool Closed,
    string Currency,
    decimal UnitPrice,
    int Count,
    decimal Total,
    IReadOnlyList<StatementEmployee> Employees,
    IReadOnlyList<AdjustmentLine> Adjustments,
    decimal AdjustmentsTotal,
    decimal GrandTotal
);

/// <summary>A statement frozen by closing its month: it never changes again (ADR 0008).</summary>
internal sealed class ClosedStatement
{
    public string Id { get; set; } = "";
    public Statement Statement { get; set; } = null!;
    public DateTimeOffset ClosedAt { get; set; }
    public string ClosedBy { get; set; } = "";
}

internal sealed record StatementClosed(
    string Month,
    int Count,
    decimal Total,
    decimal AdjustmentsTotal,
    DateTimeOffset At,
    string By
);

/// <summary>A memo of <see cref="BillingPolicy.EmployeeKey"/>: names repeat across accounts and months.</summary>
internal sealed class EmployeeKeys
{
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    public string Of(string name)
    {
        if (!_keys.TryGetValue(name, out var key))
            _keys[name] = key = BillingPolicy.EmployeeKey(name);
        return key;
    }
}

/// <summary>
/// Works out statements from Billing's accounts; pure, so the simulator can feed it hypothetical accounts.
/// </summary>
internal static class StatementCalculator
{
    public static int CountEmployees(IEnumerable<BillingAccount> accounts, MonthWindow month, EmployeeKeys keys)
    {
        var employees = new HashSet<string>(StringComparer.Ordinal);
        foreach (var account in accounts)
            if (BillingPolicy.Billable(account.Periods, month) is not null)
                employees.Add(keys.Of(account.NameAt(month.End)));
        return employees.Count;
    }

    public static (int Count, IReadOnlyList<StatementEmployee> Employees) Employees(
        IEnumerable<BillingAccount> accounts,
        MonthWindow month,
        EmployeeKeys? keys = null
    )
    {
        keys ??= new EmployeeKeys();
        var employees = new List<StatementEmployee>();
        foreach (
            var group in accounts
                .Select(a => (Account: a, Reason: BillingPolicy.Billable(a.Periods, month)))
                .Where(x => x.Reason is not null)
                .Select(x => (x.Account, x.Reason, Name: x.Account.NameAt(month.End)))
                .GroupBy(x => keys.Of(x.Name))
        )
        {
            // Shown under the name of the employee's earliest account, whatever order the accounts were read in.
            var ordered = group.OrderBy(x => x.Account.Periods[0].From).ThenBy(x => x.Account.UserId).ToList();
            var accountsOfEmployee = ordered
                .Select(x => new StatementAccount(x.Account.UserId.ToString(), x.Name, x.Reason!.Value))
                .ToList();
            employees.Add(
                new StatementEmployee(
                    string.Join(' ', ordered[0].Name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
                    accountsOfEmployee
                )
            );
        }
        employees.Sort(
            (a, b) => string.Compare(keys.Of(a.EmployeeName), keys.Of(b.EmployeeName), StringComparison.Ordinal)
        );
        return (employees.Count, employees);
    }

    public static Statement Compute(
        IReadOnlyCollection<BillingAccount> accounts,
        MonthWindow month,
        decimal price,
        string currency,
        DateTimeOffset now,
        IReadOnlyList<ClosedStatement> closed,
        TimeZoneInfo zone,
        EmployeeKeys? keys = null
    )
    {
        var (count, employees) = Employees(accounts, month, keys);
        var adjustments = Adjustments(accounts, month, closed, zone);
        var adjustmentsTotal = adjustments.Sum(a => a.Amount);
        return new Statement(
            month.Key,
            month.End > now,
            false,
            currency,
            price,
            count,
            count * price,
            employees,
            adjustments,
            adjustmentsTotal,
            count * price + adjustmentsTotal
        );
    }

    /// <summary>
    /// For each closed month before <paramref name="month"/> whose nearer months are all closed too (so this is the
    /// next open statement after it): the employees its recomputation adds or drops, less what later closed statements
    /// already settled.
    /// </summary>
    private static List<AdjustmentLine> Adjustments(
        IReadOnlyCollection<BillingAccount> accounts,
        MonthWindow month,
        IReadOnlyList<ClosedStatement> closed,
        TimeZoneInfo zone
    )
    {
        var closedByMonth = closed.ToDictionary(c => c.Id);
        var lines = new List<AdjustmentLine>();
        foreach (var c in closed.Where(c => string.CompareOrdinal(c.Id, month.Key) < 0).OrderBy(c => c.Id))
        {
            var cursor = Parse(c.Id, zone).Next(zone);
            var nextOpen = true;
            for (; string.CompareOrdinal(cursor.Key, month.Key) < 0; cursor = cursor.Next(zone))
                if (!closedByMonth.ContainsKey(cursor.Key))
                {
                    nextOpen = false;
                    break;
                }
            if (!nextOpen)
                continue;

            var frozen = c.Statement.Employees.ToDictionary(
                e => BillingPolicy.EmployeeKey(e.EmployeeName),
                e => e.EmployeeName
            );
            var now = Employees(accounts, Parse(c.Id, zone))
                .Employees.ToDictionary(e => BillingPolicy.EmployeeKey(e.EmployeeName), e => e.EmployeeName);
            var settledLines = closed
                .Where(d => string.CompareOrdinal(d.Id, c.Id) > 0)
                .SelectMany(d => d.Statement.Adjustments)
                .Where(a => a.ForMonth == c.Id)
                .ToList();
            var settled = settledLines
                .GroupBy(a => BillingPolicy.EmployeeKey(a.EmployeeName))
                .ToDictionary(g => g.Key, g => g.Sum(a => a.Change));
            var names = settledLines
                .GroupBy(a => BillingPolicy.EmployeeKey(a.EmployeeName))
                .ToDictionary(g => g.Key, g => g.First().EmployeeName);
            foreach (var (key, name) in frozen.Concat(now))
                names[key] = name;
            foreach (var key in frozen.Keys.Union(now.Keys).Union(settled.Keys).Order(StringComparer.Ordinal))
            {
                var target = (now.ContainsKey(key) ? 1 : 0) - (frozen.ContainsKey(key) ? 1 : 0);
                var change = target - settled.GetValueOrDefault(key);
                if (change != 0)
                    lines.Add(new AdjustmentLine(c.Id, names[key], change, change * c.Statement.UnitPrice));
            }
        }
        return lines;
    }

    public static MonthWindow Parse(string month, TimeZoneInfo zone) =>
        MonthWindow.Of(int.Parse(month[..4]), int.Parse(month[5..]), zone);
}
