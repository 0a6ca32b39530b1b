using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using Weasel.Postgresql.Tables;

namespace OrderStream.Modules.Billing.Accounts;

/// <summary>
/// Numbers every transaction that changes billing accounts, per tenant, and records for each account the number of the
/// last one that changed it. The number lives in one row per tenant that each such transaction updates, so those
/// transactions commit one after another and in number order: whoever has seen number n has seen every change numbered
/// up to n.
/// </summary>
internal static class BillingRevisions
{
    public static readonly Table Revisions = Define("revisions", t =>
    {
        t.AddColumn<string>("tenant_id").AsPrimaryKey();
        t.AddColumn<long>("n").NotNull();
        t.AddColumn<long>("full_from").NotNull().DefaultValueByExpression("0");
    });

    public static readonly Table Accounts = Define("account_revisions", t =>
    {
        t.AddColumn<string>("tenant_id").AsPrimaryKey();
        t.AddColumn<Guid>("id").AsPrimaryKey();
        t.AddColumn<long>("n").NotNull();
        t.Indexes.Add(new IndexDefinition("ix_account_revisions_n") { Columns = ["tenant_id", "n"] });
    });

    private static Table Define(string name, Action<Table> columns)
    {
        var table = new Table($"{BillingModule.Schema}.{name}");
        columns(table);
        return table;
    }

    /// <summary>A new number for the transaction, given to the accounts it changes.</summary>
    public static void Changed(IDocumentSession session, Guid[] accounts) =>
        session.QueueSqlCommand(
            $"""
            with r as (insert into {BillingModule.Schema}.revisions as rv (tenant_id, n) values (?, 1)
                       on conflict (tenant_id) do update set n = rv.n + 1 returning n)
            insert into {BillingModule.Schema}.account_revisions as ar (tenant_id, id, n)
                select ?, unnest(?::uuid[]), r.n from r
            on conflict (tenant_id, id) do update set n = excluded.n
            """,
            session.TenantId,
            session.TenantId,
            accounts
        );

    /// <summary>Every account was written anew (rebuild): readers start over from this number.</summary>
    public static void Replaced(IDocumentSession session) =>
        session.QueueSqlCommand(
            $"""
            insert into {BillingModule.Schema}.revisions as rv (tenant_id, n, full_from) values (?, 1, 1)
            on conflict (tenant_id) do update set n = rv.n + 1, full_from = rv.n + 1
            """,
            session.TenantId
        );
}

/// <summary>
/// Numbers every transaction that appends account events, whoever appends them (once per transaction).
/// </summary>
internal sealed class BillingRevisionListener : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var accounts = session
            .PendingChanges.Streams()
            .Where(s =>
                s.Events.Any(e => e.Data is AccountOpened or AccountRenamed or AccountDeactivated or AccountReactivated)
            )
            .Select(s => s.Id)
            .ToArray();
        if (accounts.Length > 0)
            BillingRevisions.Changed(session, accounts);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The accounts of recently asked tenants. Statements are read again and again (a month after another, the series, the
/// CSV) and loading 50,000 accounts costs far more than working a statement out, so a copy is kept and brought up to
/// date with just the accounts changed since (ADR 0008). Exact: the tenant's number is read before the accounts, so a
/// copy is never labelled newer than its data.
/// </summary>
internal sealed class BillingAccountsCache(NpgsqlDataSource db)
{
    public const int Tenants = 16;
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private long _clock;

    // Never changed once published; the array is what statements walk (60 months of a series walk it 60 times).
    private sealed record Entry(
        long Number,
        Dictionary<Guid, BillingAccount> ById,
        BillingAccount[] Accounts,
        long Used
    );

    public async Task<IReadOnlyCollection<BillingAccount>> AccountsAsync(string tenant, CancellationToken ct)
    {
        var (number, fullFrom) = await NumberAsync(tenant, ct);
        _entries.TryGetValue(tenant, out var entry);
        Dictionary<Guid, BillingAccount> byId;
        if (entry is not null && entry.Number == number)
            byId = entry.ById;
        else if (entry is not null && fullFrom <= entry.Number && number > entry.Number)
        {
            byId = new Dictionary<Guid, BillingAccount>(entry.ById);
            foreach (var account in await LoadAsync(tenant, entry.Number, ct))
                byId[account.Id] = account;
        }
        else
            byId = (await LoadAsync(tenant, null, ct)).ToDictionary(a => a.Id);
        var accounts = entry is not null && ReferenceEquals(byId, entry.ById) ? entry.Accounts : byId.Values.ToArray();
        _entries[tenant] = new Entry(number, byId, accounts, Interlocked.Increment(ref _clock));
        foreach (var stale in _entries.OrderByDescending(e => e.Value.Used).Skip(Tenants))
            _entries.TryRemove(stale.Key, out _);
        return accounts;
    }

    private async Task<(long Number, long FullFrom)> NumberAsync(string tenant, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select n, full_from from {BillingModule.Schema}.revisions where tenant_id = $1"
        );
        command.Parameters.AddWithValue(tenant);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetInt64(1)) : (0, 0);
    }

    /// <summary>
    /// Only what the policy reads, straight from the documents: all accounts, or those changed after a number.
    /// </summary>
    private async Task<List<BillingAccount>> LoadAsync(string tenant, long? changedAfter, CancellationToken ct)
    {
        var schema = BillingModule.Schema;
        await using var command = db.CreateCommand(
            changedAfter is null
                ? $"select data ->> 'UserId', data -> 'Periods', data -> 'Names' from {schema}.mt_doc_billingaccount "
                    + $"where tenant_id = $1"
                : $"""
                select d.data ->> 'UserId', d.data -> 'Periods', d.data -> 'Names' from {schema}.mt_doc_billingaccount d
                join {schema}.account_revisions r on r.tenant_id = d.tenant_id and r.id = d.id
                where d.tenant_id = $1 and r.n > $2
                """
        );
        command.Parameters.AddWithValue(tenant);
        if (changedAfter is { } after)
            command.Parameters.AddWithValue(after);
        var accounts = new List<BillingAccount>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var userId = Guid.Parse(reader.GetString(0));
            accounts.Add(
                new BillingAccount
                {
                    Id = BillingAccount.StreamId(userId),
                    UserId = userId,
                    Periods = JsonSerializer.Deserialize<List<ActivePeriod>>(reader.GetString(1))!,
                    Names = JsonSerializer.Deserialize<List<NameChange>>(reader.GetString(2))!,
                }
            );
        }
        return accounts;
    }
}

/// <summary>
/// Loads the accounts of the first tenants into the cache at start-up, so that the first statement after a restart does
/// not wait for 50,000 accounts to load (about a second). A failure only means the first statement loads them itself.
/// </summary>
internal sealed class BillingCacheWarmUp(
    IDocumentStore store,
    BillingAccountsCache cache,
    ILogger<BillingCacheWarmUp> logger
) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var platform = store.QuerySession();
            foreach (
                var tenant in await platform
                    .Query<OrderStream.BuildingBlocks.Tenancy.Tenant>()
                    .Select(t => t.Id)
                    .Take(BillingAccountsCache.Tenants)
                    .ToListAsync(stoppingToken)
            )
                await cache.AccountsAsync(tenant, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(
                OrderStream.BuildingBlocks.Errors.LoggedException.Safe(e),
                "Billing accounts were not loaded at start-up; the first statement will load them"
            );
        }
    }
}
