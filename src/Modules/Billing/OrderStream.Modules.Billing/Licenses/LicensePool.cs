using System.Security.Cryptography;
using System.Text;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Billing.Contracts;

namespace OrderStream.Modules.Billing.Licenses;

internal enum LicenseStatus
{
    Unused,
    Linked,
    Confirmed,
}

/// <summary>
/// One web office license (seed 002): unused, linked to a user and e-mail address awaiting confirmation, or confirmed.
/// </summary>
internal sealed record License(
    Guid Id,
    DateTimeOffset PurchasedAt,
    LicenseStatus Status,
    Guid? UserId,
    string? Email,
    DateTimeOffset? LinkedAt,
    DateTimeOffset? ConfirmedAt,
    string? TokenHash,
    DateTimeOffset? TokenExpiresAt
);

// The tenant's licenses: one stream, so that every purchase, link, confirmation and unlink is audited in order. Only
// the hash of a confirmation token is ever stored (in the event and the snapshot); the token itself exists in the
// e-mail alone. A token is issued just before its mail is sent; a newer one replaces the older.
internal sealed record LicensesPurchased(IReadOnlyList<Guid> LicenseIds, DateTimeOffset At, string By, int TotalAfter);

internal sealed record LicenseLinked(Guid LicenseId, Guid UserId, string Email, DateTimeOffset At, string By);

internal sealed record LicenseConfirmationIssued(
    Guid LicenseId,
    Guid UserId,
    string TokenHash,
    DateTimeOffset ExpiresAt,
    DateTimeOffset At
);

internal sealed record LicenseConfirmed(Guid LicenseId, Guid UserId, DateTimeOffset At);

internal sealed record LicenseUnlinked(Guid LicenseId, Guid UserId, DateTimeOffset At, string By);

internal sealed record LicenseEnforcementSet(bool Enforce, DateTimeOffset At, string By);

internal sealed class LicensePool
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(48);

    public Guid Id { get; set; }
    public long Version { get; set; }
    public bool Enforce { get; set; }
    public List<License> Licenses { get; set; } = [];

    public static Guid StreamId(string tenant) => new(MD5.HashData(Encoding.UTF8.GetBytes("license-pool:" + tenant)));

    /// <summary>
    /// The pool for a change. Its writers (an administrator's link, the mail sender's token, a confirmation) take turns
    /// on a transaction-scoped lock: none of them sent an If-Match, so none should be refused for another's write.
    /// </summary>
    public static async Task<JasperFx.Events.IEventStream<LicensePool>> OpenAsync(
        IDocumentSession session,
        string tenant,
        CancellationToken ct
    )
    {
        await session.BeginTransactionAsync(ct);
        await session.QueryAsync<int>(
            "select 1 from (select pg_advisory_xact_lock(hashtext(?))) l",
            ct,
            "license-pool:" + tenant
        );
        return await session.Events.FetchForWriting<LicensePool>(StreamId(tenant), ct);
    }

    /// <summary>The license, or a 404.</summary>
    public License Find(Guid id) =>
        Licenses.FirstOrDefault(l => l.Id == id) ?? throw new NotFoundException("License", id.ToString());

    public License? Of(Guid userId) =>
        Licenses.FirstOrDefault(l => l.UserId == userId && l.Status != LicenseStatus.Unused);

    public void Apply(LicensesPurchased e) =>
        Licenses.AddRange(
            e.LicenseIds.Select(id => new License(id, e.At, LicenseStatus.Unused, null, null, null, null, null, null))
        );

    public void Apply(LicenseLinked e) =>
        Change(e.LicenseId, l =>
            l with
            {
                Status = LicenseStatus.Linked,
                UserId = e.UserId,
                Email = e.Email,
                LinkedAt = e.At,
            }
        );

    public void Apply(LicenseConfirmationIssued e) =>
        Change(e.LicenseId, l => l with { TokenHash = e.TokenHash, TokenExpiresAt = e.ExpiresAt });

    public void Apply(LicenseConfirmed e) =>
        Change(e.LicenseId, l =>
            l with
            {
                Status = LicenseStatus.Confirmed,
                ConfirmedAt = e.At,
                TokenHash = null,
                TokenExpiresAt = null,
            }
        );

    public void Apply(LicenseUnlinked e) =>
        Change(e.LicenseId, l => new License(
            l.Id,
            l.PurchasedAt,
            LicenseStatus.Unused,
            null,
            null,
            null,
            null,
            null,
            null
        ));

    public void Apply(LicenseEnforcementSet e) => Enforce = e.Enforce;

    private void Change(Guid id, Func<License, License> change)
    {
        var i = Licenses.FindIndex(l => l.Id == id);
        if (i >= 0)
            Licenses[i] = change(Licenses[i]);
    }
}

/// <summary>
/// The Billing module's answer to Identity's login: with licenses enforced, the web office needs a confirmed one.
/// </summary>
internal sealed class AnswerLicenseCheck(IQuerySession session, TenantContext tenant)
    : IRequestHandler<CheckWebOfficeLicense, LicenseCheck>
{
    public async Task<LicenseCheck> Handle(CheckWebOfficeLicense q, CancellationToken ct)
    {
        var pool = await session.LoadAsync<LicensePool>(LicensePool.StreamId(tenant.Tenant), ct);
        if (pool is null || !pool.Enforce)
            return new LicenseCheck(true, null);
        return pool.Of(q.UserId) switch
        {
            { Status: LicenseStatus.Confirmed } => new LicenseCheck(true, null),
            { Status: LicenseStatus.Linked } l => new LicenseCheck(
                false,
                $"This tenant requires a confirmed license for the web office: confirm yours with the link sent to "
                    + $"{l.Email}."
            ),
            _ => new LicenseCheck(
                false,
                "This tenant requires a confirmed license for the web office, and you have none: ask your "
                    + "administrator to link one to you."
            ),
        };
    }
}
