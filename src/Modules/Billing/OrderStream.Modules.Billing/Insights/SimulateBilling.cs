using System.Globalization;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Accounts;
using OrderStream.Modules.Billing.Statements;

namespace OrderStream.Modules.Billing.Insights;

/// <summary>
/// "What would it cost?": how this month's and next month's statements change if users were deactivated or reactivated
/// on given days — e.g. that deactivating someone on the 31st instead of the 1st costs a month. Nothing is saved.
/// </summary>
internal static class SimulateBilling
{
    internal sealed record Change(string? UserId, string? DeactivateOn, string? ReactivateOn);

    internal sealed record Command(IReadOnlyList<Change>? Changes) : IQuery<Result>;

    internal sealed record MonthEffect(
        string Month,
        int CountBefore,
        int CountAfter,
        decimal TotalBefore,
        decimal TotalAfter,
        decimal Difference,
        IReadOnlyList<string> EmployeesAdded,
        IReadOnlyList<string> EmployeesRemoved
    );

    internal sealed record Result(string Currency, IReadOnlyList<MonthEffect> Months);

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Changes)
                .NotEmpty()
                .Must(c => c is null || c.Count <= 1000)
                .WithMessage("At most 1,000 changes.");
            RuleForEach(c => c.Changes)
                .NotNull()
                .ChildRules(change =>
                {
                    change
                        .RuleFor(x => x.UserId)
                        .Must(id => Guid.TryParse(id, out _))
                        .WithMessage("userId must be a user id.");
                    change
                        .RuleFor(x => x)
                        .Must(x => (x.DeactivateOn is null) != (x.ReactivateOn is null))
                        .WithName("deactivateOn")
                        .WithMessage("Give either deactivateOn or reactivateOn.");
                    change
                        .RuleFor(x => x.DeactivateOn)
                        .Must(BeADate!)
                        .WithMessage("deactivateOn must be a date written yyyy-MM-dd.")
                        .When(x => x.DeactivateOn is not null);
                    change
                        .RuleFor(x => x.ReactivateOn)
                        .Must(BeADate!)
                        .WithMessage("reactivateOn must be a date written yyyy-MM-dd.")
                        .When(x => x.ReactivateOn is not null);
                });
        }

        private static bool BeADate(string value) =>
            DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    internal sealed class Handler(
        IQuerySession session,
        TenantDirectory tenants,
        TenantContext tenant,
        TimeProvider clock,
        BillingAccountsCache cache
    ) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command c, CancellationToken ct)
        {
            var data = await BillingData.LoadAsync(session, tenants, tenant, clock, cache, ct);
            var simulated = data.Accounts.ToDictionary(a => a.UserId, Copy);
            foreach (var (change, i) in c.Changes!.Select((x, i) => (x, i)))
            {
                var userId = Guid.Parse(change.UserId!);
                if (!simulated.TryGetValue(userId, out var account))
                    throw new FieldRuleException(
                        $"changes[{i}].userId",
                        $"Billing knows no account of user '{userId}'."
                    );
                var on = StartOfDay(change.DeactivateOn ?? change.ReactivateOn!, data.Zone);
                var last = account.Periods[^1];
                // An account is active on the day it was opened (and inactive on the day it left): a change on that
                // day takes effect at that moment, not at the day's midnight before it.
                if (change.DeactivateOn is not null && account.IsActive && on >= DayOf(last.From, data.Zone))
                    account.Periods[^1] = last with { Until = Max(on, last.From) };
                else if (
                    change.ReactivateOn is not null
                    && !account.IsActive
                    && last.Until is { } left
                    && on >= DayOf(left, data.Zone)
                )
                    account.Periods.Add(new ActivePeriod(Max(on, left), null));
                else
                    throw new FieldRuleException(
                        $"changes[{i}]",
                        change.DeactivateOn is not null
                            ? "That account is not active on that day."
                            : "That account is not inactive on that day."
                    );
            }
            var month = MonthWindow.Containing(data.Now, data.Zone);
            var price = data.Settings.PricePerUser;
            return new Result(
                data.Settings.Currency,
                [
                    Effect(data.Accounts, simulated.Values, month, price),
                    Effect(data.Accounts, simulated.Values, month.Next(data.Zone), price),
                ]
            );
        }

        private static MonthEffect Effect(
            IEnumerable<BillingAccount> before,
            IEnumerable<BillingAccount> after,
            MonthWindow month,
            decimal price
        )
        {
            var was = StatementCalculator.Employees(before, month).Employees.Select(e => e.EmployeeName).ToHashSet();
            var will = StatementCalculator.Employees(after, month).Employees.Select(e => e.EmployeeName).ToHashSet();
            return new MonthEffect(
                month.Key,
                was.Count,
                will.Count,
                was.Count * price,
                will.Count * price,
                (will.Count - was.Count) * price,
                will.Except(was).Order().ToList(),
                was.Except(will).Order().ToList()
            );
        }

        private static BillingAccount Copy(BillingAccount a) =>
            new()
            {
                Id = a.Id,
                UserId = a.UserId,
                Periods = [.. a.Periods],
                Names = [.. a.Names],
                SourceEvents = a.SourceEvents,
            };

        private static DateTimeOffset DayOf(DateTimeOffset instant, TimeZoneInfo zone) =>
            MonthWindow.LocalMidnight(TimeZoneInfo.ConvertTime(instant, zone).Date, zone);

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

        private static DateTimeOffset StartOfDay(string date, TimeZoneInfo zone) =>
            MonthWindow.LocalMidnight(
                DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue),
                zone
            );
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/billing/simulate",
                    (Command command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct)
                )
                .WithTags("Billing")
                .WithName("SimulateBilling")
                .WithSummary("Simulate a billing change")
                .WithDescription(
                    "What a statement would be if the given users were deactivated or reactivated; "
                        + "nothing is written."
                )
                .RequireFeature(BillingModule.ViewBilling);
    }
}
