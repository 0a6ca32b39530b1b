using FsCheck;
using FsCheck.Fluent;
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

    /// <summary>The first instant of the month's last day, in Vienna.</summary>
    private static DateTimeOffset LastDay(int y, int m) => Local(y, m, DateTime.DaysInMonth(y, m), 0, 0);

    /// <summary>Every month of twelve years, daylight-saving ones and leap Februaries among them.</summary>
    public static TheoryData<int, int> EveryMonth()
    {
        var months = new TheoryData<int, int>();
        for (var y = 2020; y <= 2031; y++)
        for (var m = 1; m <= 12; m++)
            months.Add(y, m);
        return months;
    }

    [Theory]
    [MemberData(nameof(EveryMonth))]
    public void The_edge_days_of_every_month_bill_as_the_policy_says(int y, int m)
    {
        var (month, next) = (Month(y, m), Month(y, m).Next(Vienna));
        var (ny, nm) = m == 12 ? (y + 1, 1) : (y, m + 1);
        var before = month.Start.AddDays(-400);
        // Created at the month's first instant: active every day of it.
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(Active(month.Start), y, m));
        // Created on its last day, or a minute before it ends: billed from the next month only.
        Assert.Null(Bill(Active(LastDay(y, m)), y, m));
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(Active(LastDay(y, m)), ny, nm));
        Assert.Null(Bill(Active(month.End.AddMinutes(-1)), y, m));
        // Deactivated at its first instant: the month before was whole, this one is billed as deactivated during it.
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(Active(before, month.Start), y, m));
        // Deactivated a minute before it ends: billed for it, not for the next.
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(Active(before, month.End.AddMinutes(-1)), y, m));
        Assert.Null(Bill(Active(before, month.End.AddMinutes(-1)), ny, nm));
        // Deactivated at the first instant of the next month: this one was whole.
        Assert.Equal(BillingReason.ActiveWholeMonth, Bill(Active(before, next.Start), y, m));
        Assert.Equal(BillingReason.DeactivatedDuringMonth, Bill(Active(before, next.Start), ny, nm));
        // A month starts at local midnight, whatever the offset that day.
        Assert.Equal(new DateTime(y, m, 1), TimeZoneInfo.ConvertTime(month.Start, Vienna).DateTime);
    }

    // Properties over every month of a century (FsCheck's default integers stay within ±100: they drew January only).
    private static readonly Gen<MonthWindow> Months =
        from y in Gen.Choose(2000, 2099)
        from m in Gen.Choose(1, 12)
        select Month(y, m);

    private static readonly Gen<int> Hours = Gen.Choose(0, 50_000);

    [Property(MaxTest = 500)]
    public Property A_user_active_for_the_whole_month_is_always_billed() =>
        Prop.ForAll(
            Arb.From(
                from m in Months
                from before in Hours
                from after in Gen.Choose(-1, 50_000)
                select (m, before, after)
            ),
            x =>
            {
                DateTimeOffset? until = x.after < 0 ? null : x.m.End.AddHours(x.after);
                var period = new ActivePeriod(x.m.Start.AddHours(-x.before), until);
                return BillingPolicy.Billable([period], x.m) is not null;
            }
        );

    [Property(MaxTest = 500)]
    public Property A_month_in_which_a_user_was_never_active_is_never_billed() =>
        Prop.ForAll(
            Arb.From(
                from m in Months
                from gap in Hours
                from length in Hours
                from earlier in Gen.Elements(true, false)
                select (m, gap, length, earlier)
            ),
            x =>
            {
                var period = x.earlier
                    ? new ActivePeriod(x.m.Start.AddHours(-x.gap - x.length - 1), x.m.Start.AddHours(-x.gap - 1))
                    : new ActivePeriod(x.m.End.AddHours(x.gap), x.m.End.AddHours(x.gap + x.length));
                return BillingPolicy.Billable([period], x.m) is null;
            }
        );

    [Property(MaxTest = 500)]
    public Property A_user_deactivated_during_the_month_is_billed_for_it_however_briefly_active() =>
        Prop.ForAll(
            Arb.From(
                from m in Months
                from activeFor in Gen.Choose(1, 50_000)
                from share in Gen.Choose(0, 100)
                select (m, activeFor, share)
            ),
            x =>
            {
                var until = x.m.Start + (x.m.End - x.m.Start) * (x.share / 101.0);
                var period = new ActivePeriod(until.AddMinutes(-x.activeFor), until);
                return BillingPolicy.Billable([period], x.m) == BillingReason.DeactivatedDuringMonth;
            }
        );

    [Property(MaxTest = 500)]
    public Property A_user_created_after_the_first_day_and_still_active_is_not_billed_that_month() =>
        Prop.ForAll(Arb.From(from m in Months from share in Gen.Choose(1, 100) select (m, share)), x =>
        {
            var firstDayOver = TimeZoneInfo.ConvertTime(x.m.Start, Vienna).Date.AddDays(1);
            var earliest = new DateTimeOffset(firstDayOver, Vienna.GetUtcOffset(firstDayOver));
            var created = earliest + (x.m.End - earliest) * (x.share / 101.0);
            return BillingPolicy.Billable([new ActivePeriod(created, null)], x.m) is null;
        });
}
