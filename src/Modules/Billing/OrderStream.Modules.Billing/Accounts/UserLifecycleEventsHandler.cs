using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Billing.Accounts;

/// <summary>
/// Consumes Identity's <c>UserCreated</c>, <c>UserRenamed</c>, <c>UserDeactivated</c> and <c>UserReactivated</c>:
/// records each user's lifecycle in Billing's own streams (the accounts statements are made of), a delivered page at a
/// time in one transaction (a burst of new users would otherwise cost Billing a transaction each). Idempotent: a
/// redelivered event changes nothing.
/// </summary>
internal sealed class UserLifecycleEventsHandler(IDocumentSession session, ILogger<UserLifecycleEventsHandler> logger)
    : IIntegrationEventBatchHandler
{
    public IReadOnlySet<Type> Handles { get; } =
        new HashSet<Type>
        {
            typeof(UserCreated),
            typeof(UserRenamed),
            typeof(UserDeactivated),
            typeof(UserReactivated),
        };

    public async Task HandleAsync(IReadOnlyList<IIntegrationEvent> events, CancellationToken ct)
    {
        var changes = events.Select(Change).OfType<(Guid Stream, object Change, Guid Source)>().ToList();
        if (changes.Count == 0)
            return;
        var accounts = (
            await session.LoadManyAsync<BillingAccount>(ct, changes.Select(c => c.Stream).Distinct())
        ).ToDictionary(a => a.Id);
        var recorded = accounts.Values.SelectMany(a => a.SourceEvents).ToHashSet();
        var opened = accounts.Keys.ToHashSet();
        foreach (var (stream, change, source) in changes)
        {
            if (!recorded.Add(source))
                continue;
            if (change is AccountOpened)
            {
                if (opened.Add(stream))
                    session.Events.StartStream<BillingAccount>(stream, change);
            }
            else if (opened.Contains(stream))
                session.Events.Append(stream, change);
            // Events arrive in order, so this is an account created before Billing existed: nothing to anchor it to.
            else
                logger.LogWarning(
                    "Billing has no account for stream {Stream}; {Event} is not recorded",
                    stream,
                    change.GetType().Name
                );
        }
        await session.SaveChangesAsync(ct);
    }

    private static (Guid Stream, object Change, Guid Source)? Change(IIntegrationEvent e) =>
        e switch
        {
            UserCreated x => Of(
                x.UserId,
                id => new AccountOpened(id, x.OccurredAt, x.EmployeeName, x.EventId),
                x.EventId
            ),
            UserRenamed x => Of(
                x.UserId,
                id => new AccountRenamed(id, x.OccurredAt, x.EmployeeName, x.EventId),
                x.EventId
            ),
            UserDeactivated x => Of(x.UserId, id => new AccountDeactivated(id, x.OccurredAt, x.EventId), x.EventId),
            UserReactivated x => Of(x.UserId, id => new AccountReactivated(id, x.OccurredAt, x.EventId), x.EventId),
            _ => null,
        };

    private static (Guid, object, Guid) Of(string user, Func<Guid, object> change, Guid source)
    {
        var userId = Guid.Parse(user);
        return (BillingAccount.StreamId(userId), change(userId), source);
    }
}
