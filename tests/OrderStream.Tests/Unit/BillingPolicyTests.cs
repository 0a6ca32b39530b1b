using FsCheck;
using FsCheck.Xunit;
using OrderStream.Modules.Billing.Accounts;
using OrderStream.Modules.Billing.Statements;
using Xunit;

namespace OrderStream.Tests.Unit;

/// <summary>The billing policy of seed 000 (PRODUCT.md), in the tenant's time zone (Europe/Vienna here).</summary>
public sealed class BillingPolicyTests
{
    private static readonly TimeZoneInfo Vienna = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vienna");

    /// <summary>A local wall-clock time in Vienna as an instant.</summary>
    private static DateTimeOffset Local(int y, int mo, int d, int h = 12, int mi = 0)
    {
        var local = new DateTime(y, mo, d, h, mi, 0);
        return new DateTimeOffset(local, Vienna.GetUtcOffset(local));
    }

    private static MonthWindow Month(int y, int m) => MonthWindow.Of(y, m, Vienna);

    private static ActivePeriod[] Active(DateTimeOffset from, DateTimeOffset? until = null) =>
        [new ActivePeriod(from, until)];

    private static BillingReason? Bill(IReadOnlyList<ActivePeriod> periods, int y, int m) =>
        BillingPolicy.Billable(periods, Month(y, m));

    [Fact]
    public void Manual_example_created_on_the_10th_of_July_is_first_billed_in_August()
    {
        var periods = Active(Local(2026, 7, 10));
        Assert.Null(Bill(periods, 2026, 7));
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(periods, 2026, 8));
    }

    [Fact]
    public void Manual_example_created_10_July_deactivated_12_August_bills_August_not_July()
    {
        var periods = Active(Local(2026, 7, 10), Local(2026, 8, 12));
        Assert.Null(Bill(periods, 2026, 7));
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(periods, 2026, 8));
        Assert.Null(Bill(periods, 2026, 9));
    }

    [Fact]
    public void Manual_example_created_10_July_deactivated_24_July_bills_July()
    {
        var periods = Active(Local(2026, 7, 10), Local(2026, 7, 24));
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(periods, 2026, 7));
        Assert.Null(Bill(periods, 2026, 8));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(12, 0)]
    [InlineData(23, 59)]
    public void Created_any_time_on_the_1st_is_billed_that_month(int hour, int minute) =>
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(Active(Local(2026, 7, 1, hour, minute)), 2026, 7));

    [Fact]
    public void Created_on_the_last_day_is_billed_from_the_next_month()
    {
        var periods = Active(Local(2026, 7, 31, 0, 0));
        Assert.Null(Bill(periods, 2026, 7));
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(periods, 2026, 8));
    }

    [Fact]
    public void Deactivated_on_the_1st_bills_that_month_and_the_whole_month_before()
    {
        var periods = Active(Local(2026, 1, 5), Local(2026, 7, 1, 0, 0));
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(periods, 2026, 6));
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(periods, 2026, 7));
        Assert.Null(Bill(periods, 2026, 8));
    }

    [Fact]
    public void Deactivated_on_the_last_day_bills_that_month_only()
    {
        var periods = Active(Local(2026, 1, 5), Local(2026, 7, 31, 23, 59));
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(periods, 2026, 7));
        Assert.Null(Bill(periods, 2026, 8));
    }

    [Fact]
    public void Deactivated_and_reactivated_inside_one_month_is_billed_for_it()
    {
        ActivePeriod[] periods = [new(Local(2026, 1, 5), Local(2026, 7, 10)), new(Local(2026, 7, 20), null)];
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(periods, 2026, 7));
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(periods, 2026, 8));
    }

    [Fact]
    public void Reactivation_follows_the_rules_for_new_users()
    {
        ActivePeriod[] midMonth = [new(Local(2026, 1, 5), Local(2026, 5, 10)), new(Local(2026, 7, 10), null)];
        Assert.Null(Bill(midMonth, 2026, 6));
        Assert.Null(Bill(midMonth, 2026, 7));
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(midMonth, 2026, 8));
        ActivePeriod[] onTheFirst = [new(Local(2026, 1, 5), Local(2026, 5, 10)), new(Local(2026, 7, 1, 8, 0), null)];
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(onTheFirst, 2026, 7));
    }

    [Fact]
    public void Created_and_deactivated_the_same_day_is_billed_for_that_month()
    {
        var periods = Active(Local(2026, 9, 3, 9, 0), Local(2026, 9, 3, 17, 0));
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(periods, 2026, 9));
        Assert.Null(Bill(periods, 2026, 8));
        Assert.Null(Bill(periods, 2026, 10));
    }

    [Fact]
    public void Leap_february_has_29_days()
    {
        Assert.Null(Bill(Active(Local(2028, 2, 29)), 2028, 2));
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(Active(Local(2028, 2, 29)), 2028, 3));
        Assert.Equal(
            BillingReason.DeactivatedDuringMonth,
            Bill(Active(Local(2028, 1, 1), Local(2028, 2, 29, 23, 0)), 2028, 2)
        );
        Assert.Equal(new DateTimeOffset(2028, 2, 29, 23, 0, 0, TimeSpan.Zero), Month(2028, 2).End);
    }

    [Fact]
    public void Month_boundaries_follow_the_tenants_time_zone_across_daylight_saving()
    {
        // Vienna moves to summer time on 29 March 2026: April starts at 22:00 UTC on 31 March, March at 23:00 UTC on 28
        // February.
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 23, 0, 0, TimeSpan.Zero), Month(2026, 3).Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 22, 0, 0, TimeSpan.Zero), Month(2026, 3).End);
        var justAfterMidnightOnAprilFirst = new DateTimeOffset(2026, 3, 31, 22, 30, 0, TimeSpan.Zero);
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(Active(justAfterMidnightOnAprilFirst), 2026, 4));
        Assert.Null(Bill(Active(justAfterMidnightOnAprilFirst), 2026, 3));
        var lateOnMarch31 = new DateTimeOffset(2026, 3, 31, 21, 30, 0, TimeSpan.Zero); // 23:30 in Vienna
        Assert.Null(Bill(Active(lateOnMarch31), 2026, 3));
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(Active(lateOnMarch31), 2026, 4));
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(Active(Local(2026, 1, 2), lateOnMarch31), 2026, 3));

        // Winter time returns on 25 October 2026: November starts at 23:00 UTC on 31 October.
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero), Month(2026, 11).Start);
        var deactivatedLateOctober31 = new DateTimeOffset(2026, 10, 31, 22, 30, 0, TimeSpan.Zero); // 23:30 in Vienna
        Assert.Equal(
            BillingReason.DeactivatedDuringMonth,
            Bill(Active(Local(2026, 1, 2), deactivatedLateOctober31), 2026, 10)
        );
        Assert.Null(Bill(Active(Local(2026, 1, 2), deactivatedLateOctober31), 2026, 11));
    }

    [Theory]
    [InlineData("Anna Huber", "ANNA HUBER")]
    [InlineData("  Anna   Huber ", "ANNA HUBER")]
    [InlineData("anna\thuber", "ANNA HUBER")]
    [InlineData("Jürgen Müller", "JÜRGEN MÜLLER")]
    public void Employee_names_compare_trimmed_case_insensitive_with_white_space_collapsed(string name, string key) =>
        Assert.Equal(key, BillingPolicy.EmployeeKey(name));

    private static BillingAccount Account(string name, params ActivePeriod[] periods)
    {
        var account = BillingAccount.Create(new AccountOpened(Guid.NewGuid(), periods[0].From, name, Guid.NewGuid()));
        account.Periods = [.. periods];
        return account;
    }

    [Fact]
    public void Several_accounts_under_one_name_count_once_and_different_people_count_apart()
    {
        BillingAccount[] accounts =
        [
            Account("Anna Huber", Active(Local(2026, 1, 2))),
            Account("  anna   HUBER", Active(Local(2026, 3, 1))),
            Account("Anna Hubner", Active(Local(2026, 1, 2))),
            Account("Bernd Moser", Active(Local(2026, 4, 15))),
        ];
        var (count, employees) = StatementCalculator.Employees(accounts, Month(2026, 4));
        Assert.Equal(2, count);
        Assert.Equal(["Anna Huber", "Anna Hubner"], employees.Select(e => e.EmployeeName));
        Assert.Equal(2, employees[0].Accounts.Count);
    }

    [Fact]
    public void The_name_in_force_at_the_end_of_the_month_decides_the_employee()
    {
        var renamed = Account("Anna Huber", Active(Local(2026, 1, 2)));
        renamed.Apply(new AccountRenamed(renamed.UserId, Local(2026, 5, 10), "Anna Moser", Guid.NewGuid()));
        var other = Account("Anna Moser", Active(Local(2026, 1, 2)));
        Assert.Equal(2, StatementCalculator.Employees([renamed, other], Month(2026, 4)).Count);
        Assert.Equal(1, StatementCalculator.Employees([renamed, other], Month(2026, 5)).Count);
    }

    [Fact]
    public void A_change_for_a_closed_month_becomes_an_adjustment_on_the_next_open_statement_only_once()
    {
        var anna = Account("Anna Huber", Active(Local(2026, 1, 2)));
        var late = Account("Late Comer", Active(Local(2026, 1, 2)));
        var now = Local(2026, 9, 15);
        var julyFrozen = StatementCalculator.Compute([anna], Month(2026, 7), 10m, "EUR", now, [], Vienna);
        ClosedStatement[] closed = [new() { Id = "2026-07", Statement = julyFrozen }];

        // Late Comer's account was recorded after July was closed: August (the next open month) carries +1 for July.
        var august = StatementCalculator.Compute([anna, late], Month(2026, 8), 10m, "EUR", now, closed, Vienna);
        Assert.Equal([new AdjustmentLine("2026-07", "Late Comer", 1, 10m)], august.Adjustments);
        Assert.Equal(2 * 10m + 10m, august.GrandTotal);
        // September is not the next open statement after July, so it does not repeat the line.
        Assert.Empty(
            StatementCalculator.Compute([anna, late], Month(2026, 9), 10m, "EUR", now, closed, Vienna).Adjustments
        );

        // Once August is closed with that adjustment, July is settled: September carries nothing for it.
        ClosedStatement[] both = [.. closed, new() { Id = "2026-08", Statement = august }];
        Assert.Empty(
            StatementCalculator.Compute([anna, late], Month(2026, 9), 10m, "EUR", now, both, Vienna).Adjustments
        );
        // And if the late account turns out never to have been billable in July, September credits it back.
        late.Periods = [.. Active(Local(2026, 7, 20))];
        Assert.Equal(
            [new AdjustmentLine("2026-07", "Late Comer", -1, -10m)],
            StatementCalculator.Compute([anna, late], Month(2026, 9), 10m, "EUR", now, both, Vienna).Adjustments
        );
    }

    [Fact]
    public void Current_and_future_months_are_provisional()
    {
        var now = Local(2026, 8, 15);
        Assert.True(StatementCalculator.Compute([], Month(2026, 8), 1m, "EUR", now, [], Vienna).Provisional);
        Assert.True(StatementCalculator.Compute([], Month(2026, 9), 1m, "EUR", now, [], Vienna).Provisional);
        Assert.False(StatementCalculator.Compute([], Month(2026, 7), 1m, "EUR", now, [], Vienna).Provisional);
    }

    // Property tests over arbitrary months (2000-2099) and arbitrary instants around them.
    private static MonthWindow AnyMonth(int seed) => Month(2000 + Math.Abs(seed % 100), 1 + Math.Abs(seed / 100 % 12));

    [Property]
    public bool A_user_active_for_the_whole_month_is_always_billed(int month, PositiveInt daysBefore, int untilAfter)
    {
        var m = AnyMonth(month);
        var from = m.Start.AddDays(-(daysBefore.Get % 4000));
        DateTimeOffset? until = untilAfter < 0 ? null : m.End.AddHours(untilAfter % 50_000);
        return BillingPolicy.Billable([new ActivePeriod(from, until)], m) is not null;
    }

    [Property]
    public bool A_month_in_which_a_user_was_never_active_is_never_billed(
        int month,
        PositiveInt gap,
        PositiveInt length,
        bool before
    )
    {
        var m = AnyMonth(month);
        var hours = length.Get % 50_000;
        var period = before
            ? new ActivePeriod(m.Start.AddHours(-gap.Get % 50_000 - hours - 1), m.Start.AddHours(-gap.Get % 50_000 - 1))
            : new ActivePeriod(m.End.AddHours(gap.Get % 50_000), m.End.AddHours(gap.Get % 50_000 + hours));
        return BillingPolicy.Billable([period], m) is null;
    }
}
