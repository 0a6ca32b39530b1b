using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Mail;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>
/// A confirmation mail waiting to go, or gone: the outbox, written in the transaction that links the license, so no
/// mail is lost to a crash or an SMTP outage. It holds no token: the sender makes one when it sends, and stores only
/// its hash.
/// </summary>
internal sealed class OutboxMail
{
    public Guid Id { get; set; }
    public string Tenant { get; set; } = "";
    public Guid LicenseId { get; set; }
    public Guid UserId { get; set; }
    public string To { get; set; } = "";
    public DateTimeOffset QueuedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// Why it was not sent: the last SMTP error, or that the license was unlinked or confirmed meanwhile.
    /// </summary>
    public string? LastError { get; set; }
    public bool Cancelled { get; set; }
}

internal static class LicenseMail
{
    public static void Queue(
        IDocumentSession session,
        string tenant,
        Guid licenseId,
        Guid userId,
        string to,
        DateTimeOffset now
    ) =>
        session.Store(
            new OutboxMail
            {
                Id = Guid.CreateVersion7(),
                Tenant = tenant,
                LicenseId = licenseId,
                UserId = userId,
                To = to,
                QueuedAt = now,
                NextAttemptAt = now,
            }
        );

    public static readonly TimeSpan LicenseGap = TimeSpan.FromMinutes(1);
    public const int PerLicenseAnHour = 5,
        PerAddressAnHour = 10;

    /// <summary>
    /// Refuses (429, saying when) a mail that would make confirmation mail a way to flood someone's inbox: more than
    /// one a minute or five an hour for a license linked to one user, or ten an hour to one address, however linked
    /// (issue #18).
    /// </summary>
    public static async Task RequireWithinLimitsAsync(
        IQuerySession session,
        Guid licenseId,
        Guid userId,
        string to,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        var hourAgo = now - TimeSpan.FromHours(1);
        var recent = await session
            .Query<OutboxMail>()
            .Where(m => m.QueuedAt > hourAgo)
            .OrderBy(m => m.QueuedAt)
            .ToListAsync(ct);
        var license = recent
            .Where(m => m.LicenseId == licenseId && m.UserId == userId)
            .Select(m => m.QueuedAt)
            .ToList();
        if (license.Count > 0 && license[^1] + LicenseGap > now)
            throw TooMany(
                "A confirmation mail for this license went out less than a minute ago.",
                license[^1] + LicenseGap - now
            );
        if (license.Count >= PerLicenseAnHour)
            throw TooMany(
                $"This license had {PerLicenseAnHour} confirmation mails in the last hour.",
                license[^PerLicenseAnHour] + TimeSpan.FromHours(1) - now
            );
        var address = recent
            .Where(m => string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase))
            .Select(m => m.QueuedAt)
            .ToList();
        if (address.Count >= PerAddressAnHour)
            throw TooMany(
                $"{to} had {PerAddressAnHour} confirmation mails in the last hour.",
                address[^PerAddressAnHour] + TimeSpan.FromHours(1) - now
            );
    }

    private static TooManyRequestsException TooMany(string why, TimeSpan wait) =>
        new($"{why} Try again after {wait.TotalSeconds:0} seconds.", wait);
}

/// <summary>
/// Sends the outbox's due mails over SMTP (MailKit), for every tenant. Each mail carries a fresh one-time token whose
/// hash is committed (with the next attempt already scheduled) before the mail goes, so the link works the moment it
/// arrives and a crash mid-send means another mail later, never none. A failure is recorded on the mail (visible at
/// <c>GET /licenses/mail</c>) and tried again later; a newer token replaces an older one.
/// </summary>
internal sealed class LicenseMailSender(
    IDocumentStore store,
    MailSettings settings,
    TimeProvider clock,
    ILogger<LicenseMailSender> logger
) : OutboxPoller(settings, logger)
{
    protected override async Task SendDueAsync(CancellationToken ct)
    {
        var dueBy = DueBy(clock.GetUtcNow());
        List<OutboxMail> due;
        await using (var query = store.QuerySession())
            due = (
                await query
                    .Query<OutboxMail>()
                    .Where(m => m.AnyTenant() && m.SentAt == null && !m.Cancelled && m.NextAttemptAt <= dueBy)
                    .OrderBy(m => m.NextAttemptAt)
                    .Take(50)
                    .ToListAsync(ct)
            ).ToList();
        foreach (var mail in due)
            await SendAsync(mail, ct);
    }

    private async Task SendAsync(OutboxMail mail, CancellationToken ct)
    {
        await using var session = store.LightweightSession(mail.Tenant);
        session.LastModifiedBy = "license-mail";
        var pool = await LicensePool.OpenAsync(session, mail.Tenant, ct);
        var license = pool.Aggregate?.Licenses.FirstOrDefault(l => l.Id == mail.LicenseId);
        var now = clock.GetUtcNow();
        if (
            license is null
            || license.Status != LicenseStatus.Linked
            || license.UserId != mail.UserId
            || license.Email != mail.To
        )
        {
            (mail.Cancelled, mail.LastError) = (
                true,
                "The license was unlinked or confirmed before this mail went out."
            );
            session.Store(mail);
            await session.SaveChangesAsync(ct);
            return;
        }
        var token = OneTimeTokens.New();
        pool.AppendOne(
            new LicenseConfirmationIssued(
                license.Id,
                mail.UserId,
                LicensePool.HashToken(token),
                now + LicensePool.TokenLifetime,
                now
            )
        );
        mail.Attempts++;
        mail.NextAttemptAt = now + Smtp.Backoff(mail.Attempts);
        session.Store(mail);
        await session.SaveChangesAsync(ct);
        try
        {
            await DeliverAsync(mail, token, ct);
            (mail.SentAt, mail.LastError) = (now, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            mail.LastError = $"{e.GetType().Name}: {e.Message}";
            logger.LogWarning(
                "Confirmation mail {Mail} not sent (attempt {Attempts}): {Error}",
                mail.Id,
                mail.Attempts,
                mail.LastError
            );
        }
        session.Store(mail);
        await session.SaveChangesAsync(ct);
    }

    private Task DeliverAsync(OutboxMail mail, string token, CancellationToken ct) =>
        Smtp.SendAsync(
            Settings,
            mail.To,
            "Confirm your OrderStream web office license",
            $"A web office license of OrderStream was linked to you.\n\nConfirm it within 48 hours: "
                + $"{Settings.ConfirmUrl}?tenant={Uri.EscapeDataString(mail.Tenant)}&token={token}\n\n"
                + $"(Or send this token to POST /api/tenants/{mail.Tenant}/licenses/confirm: {token})\n",
            ct
        );
}
