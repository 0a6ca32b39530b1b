using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;

namespace OrderStream.Modules.Billing.Accounts;

/// <summary>Changes whenever any billing account of the tenant changes: a new stamp per account event, and on rebuild.</summary>
internal sealed class BillingRevision
{
    public const string CurrentId = "current";
    public string Id { get; set; } = CurrentId;
    public Guid Stamp { get; set; }
}

/// <summary>
/// Stamps a new revision in every transaction that appends account events, whoever appends them (once per transaction, not
/// per event: a bulk load of thousands of events writes one stamp).
/// </summary>
internal sealed class BillingRevisionStamp : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (session.PendingChanges.Streams().Any(s => s.Events.Any(e => e.Data is AccountOpened or AccountRenamed or AccountDeactivated or AccountReactivated)))
            session.Store(new BillingRevision { Stamp = Guid.NewGuid() });
        return Task.CompletedTask;
    }
}

/// <summary>
/// The accounts of recently asked tenants, kept while their revision stamp is unchanged: statements are read again and again
/// (a month after another, the series, the CSV), and loading 50,000 accounts costs far more than working a statement out.
/// Exact: the stamp is read before the accounts, so a copy is never labelled newer than its data (ADR 0008).
/// </summary>
internal sealed class BillingAccountsCache(NpgsqlDataSource db)
{
    private const int Tenants = 16;
    private readonly ConcurrentDictionary<string, (Guid Stamp, IReadOnlyCollection<BillingAccount> Accounts, long Used)> _entries = new();
    private long _clock;

    public async Task<IReadOnlyCollection<BillingAccount>> AccountsAsync(IQuerySession session, string tenant, CancellationToken ct)
    {
        var stamp = (await session.LoadAsync<BillingRevision>(BillingRevision.CurrentId, ct))?.Stamp ?? Guid.Empty;
        if (_entries.TryGetValue(tenant, out var entry) && entry.Stamp == stamp)
        {
            _entries[tenant] = entry with { Used = Interlocked.Increment(ref _clock) };
            return entry.Accounts;
        }
        var accounts = await LoadAsync(tenant, ct);
        _entries[tenant] = (stamp, accounts, Interlocked.Increment(ref _clock));
        foreach (var stale in _entries.OrderByDescending(e => e.Value.Used).Skip(Tenants)) _entries.TryRemove(stale.Key, out _);
        return accounts;
    }

    /// <summary>Only what the policy reads, straight from the documents: the processed-event ids stay in the database.</summary>
    private async Task<IReadOnlyCollection<BillingAccount>> LoadAsync(string tenant, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select data ->> 'UserId', data -> 'Periods', data -> 'Names' from {BillingModule.Schema}.mt_doc_billingaccount where tenant_id = $1");
        command.Parameters.AddWithValue(tenant);
        var accounts = new List<BillingAccount>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var userId = Guid.Parse(reader.GetString(0));
            accounts.Add(new BillingAccount
            {
                Id = BillingAccount.StreamId(userId), UserId = userId,
                Periods = JsonSerializer.Deserialize<List<ActivePeriod>>(reader.GetString(1))!,
                Names = JsonSerializer.Deserialize<List<NameChange>>(reader.GetString(2))!,
            });
        }
        return accounts;
    }
}
