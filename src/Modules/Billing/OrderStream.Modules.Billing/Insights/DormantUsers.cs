using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Accounts;
using OrderStream.Modules.Billing.Statements;
using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Billing.Insights;

/// <summary>
/// Active accounts nobody has logged in to for <c>days</c> (never, counting from the account's opening), which next
/// month's statement will bill. Grouped per employee, as the statement counts them: deactivating an employee's dormant
/// accounts before this month ends saves next month's price only when no other account keeps that employee billed.
/// </summary>
internal static class DormantUsers
{
    internal sealed record Query(int Days) : IQuery<Result>;

    internal sealed record DormantAccount(
        string UserId,
        string Name,
        DateTimeOffset? LastLoginAt,
        DateTimeOffset ActiveSince
    );

    /// <summary>
    /// <c>KeptBilledBy</c>: the employee's other active accounts that someone did log in to (then nothing is saved).
    /// </summary>
    internal sealed record Employee(
        string EmployeeName,
        IReadOnlyList<DormantAccount> Accounts,
        IReadOnlyList<string> KeptBilledBy,
        decimal Saving
    );

    internal sealed record Result(
        int Days,
        DateTimeOffset LoggedInSince,
        string NextMonth,
        string Currency,
        decimal UnitPrice,
        IReadOnlyList<Employee> Employees,
        int DormantAccounts,
        decimal TotalSaving
    );

    internal sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Days).InclusiveBetween(1, 3660).WithName("days");
    }

    internal sealed class Handler(
        IQuerySession session,
        TenantDirectory tenants,
        TenantContext tenant,
        TimeProvider clock,
        BillingAccountsCache cache,
        IMediator mediator
    ) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query q, CancellationToken ct)
        {
            var data = await BillingData.LoadAsync(session, tenants, tenant, clock, cache, ct);
            var since = data.Now.AddDays(-q.Days);
            var active = data.Accounts.Where(a => a.IsActive).ToList();
            var logins = (await mediator.Send(new GetLastLogins(null), ct)).ToDictionary(
                l => l.UserId,
                l => l.LastLoginAt
            );
            bool Dormant(BillingAccount a) => (logins.GetValueOrDefault(a.UserId) ?? a.Periods[^1].From) < since;
            var price = data.Settings.PricePerUser;
            var employees = new List<Employee>();
            foreach (var employee in active.GroupBy(a => BillingPolicy.EmployeeKey(a.Names[^1].EmployeeName)))
            {
                var dormant = employee.Where(Dormant).OrderBy(a => a.Periods[0].From).ThenBy(a => a.UserId).ToList();
                if (dormant.Count == 0)
                    continue;
                var keeping = employee.Where(a => !Dormant(a)).Select(a => a.UserId.ToString()).Order().ToList();
                employees.Add(
                    new Employee(
                        dormant[0].Names[^1].EmployeeName,
                        dormant
                            .Select(a => new DormantAccount(
                                a.UserId.ToString(),
                                a.Names[^1].EmployeeName,
                                logins.GetValueOrDefault(a.UserId),
                                a.Periods[^1].From
                            ))
                            .ToList(),
                        keeping,
                        keeping.Count == 0 ? price : 0
                    )
                );
            }
            employees.Sort(
                (a, b) =>
                    string.Compare(
                        BillingPolicy.EmployeeKey(a.EmployeeName),
                        BillingPolicy.EmployeeKey(b.EmployeeName),
                        StringComparison.Ordinal
                    )
            );
            var next = MonthWindow.Containing(data.Now, data.Zone).Next(data.Zone);
            return new Result(
                q.Days,
                since,
                next.Key,
                data.Settings.Currency,
                price,
                employees,
                employees.Sum(e => e.Accounts.Count),
                employees.Sum(e => e.Saving)
            );
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet("/api/tenants/{tenant}/billing/dormant", (int? days, IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new Query(days ?? 30), ct)
                )
                .WithTags("Billing")
                .WithName("DormantUsers")
                .WithSummary("List dormant billed users")
                .WithDescription("Users who were billed but did not log in during the month.")
                .RequireFeature(BillingModule.ViewBilling);
    }
}
