using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Billing.Accounts;

// Billing's own record of a user account, fed only by Identity's integration events (ADR 0008). SourceEventId is the
// integration event's id: handlers skip an event they have already recorded, since delivery is at least once.
internal sealed record AccountOpened(Guid UserId, DateTimeOffset At, string EmployeeName, Guid SourceEventId);

internal sealed record AccountRenamed(Guid UserId, DateTimeOffset At, string EmployeeName, Guid SourceEventId);

internal sealed record AccountDeactivated(Guid UserId, DateTimeOffset At, Guid SourceEventId);

internal sealed record AccountReactivated(Guid UserId, DateTimeOffset At, Guid SourceEventId);

/// <summary>An interval in which the account was active; <c>Until</c> is null while it still is.</summary>
internal sealed record ActivePeriod(DateTimeOffset From, DateTimeOffset? Until);

internal sealed record NameChange(DateTimeOffset At, string EmployeeName);

internal sealed class BillingAccount
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public List<ActivePeriod> Periods { get; set; } = [];
    public List<NameChange> Names { get; set; } = [];
    public List<Guid> SourceEvents { get; set; } = [];

    public bool IsActive => Periods.Count > 0 && Periods[^1].Until is null;

    /// <summary>
    /// Billing's stream of a user: derived from the user id, so it never collides with Identity's stream of that user.
    /// </summary>
    public static Guid StreamId(Guid userId) => new(MD5.HashData(Encoding.UTF8.GetBytes("billing-account:" + userId)));

    /// <summary>The employee name in force at an instant (the first one before the account existed).</summary>
    public string NameAt(DateTimeOffset at) =>
        Names.LastOrDefault(n => n.At < at)?.EmployeeName ?? Names[0].EmployeeName;

    public static BillingAccount Create(AccountOpened e) =>
        new()
        {
            Id = StreamId(e.UserId),
            UserId = e.UserId,
            Periods = [new ActivePeriod(e.At, null)],
            Names = [new NameChange(e.At, e.EmployeeName)],
            SourceEvents = [e.SourceEventId],
        };

    public void Apply(AccountRenamed e)
    {
        Names.Add(new NameChange(e.At, e.EmployeeName));
        SourceEvents.Add(e.SourceEventId);
    }

    public void Apply(AccountDeactivated e)
    {
        if (IsActive)
            Periods[^1] = Periods[^1] with { Until = e.At };
        SourceEvents.Add(e.SourceEventId);
    }

    public void Apply(AccountReactivated e)
    {
        if (!IsActive)
            Periods.Add(new ActivePeriod(e.At, null));
        SourceEvents.Add(e.SourceEventId);
    }
}
