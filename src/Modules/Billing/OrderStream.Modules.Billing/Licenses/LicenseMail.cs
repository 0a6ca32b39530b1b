using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Mail;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>
/// A confirmation mail waiting to go, or gone: the outbox, written in the transaction that links the license, so no
/// mail is lost to a crash or an SMTP outage. It holds no token: the sender makes one when it sends, and stores only
/// its hash.
/// </summary>
internal sealed class OutboxMail : QueuedMail
{
    public Guid LicenseId { get; set; }
    public Guid UserId { get; set; }
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

    private static readonly MailLimits Limits = new(PerSubjectAnHour: 5, PerAddressAnHour: 10);

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
        var reached = await Limits.ReachedAsync<OutboxMail>(
            session,
            m => m.LicenseId == licenseId && m.UserId == userId,
            to,
            now,
            ct
        );
        if (reached is var (limit, wait))
            throw MailLimits.Refusal(
                limit switch
                {
                    MailLimits.Limit.Gap => "A confirmation mail for this license went out less than a minute ago.",
                    MailLimits.Limit.Subject =>
                        $"This license had {Limits.PerSubjectAnHour} confirmation mails in the last hour.",
                    _ => $"{to} had {Limits.PerAddressAnHour} confirmation mails in the last hour.",
                },
                wait
            );
    }
}

/// <summary>
/// Sends the license confirmations (visible at <c>GET /licenses/mail</c>); a newer token replaces an older one.
/// </summary>
internal sealed class LicenseMailSender(
    IDocumentStore store,
    MailSettings settings,
    TimeProvider clock,
    ILogger<LicenseMailSender> logger
) : OutboxSender<OutboxMail>(store, settings, clock, logger)
{
    protected override string Actor => "license-mail";

    protected override async Task<(Letter? Letter, string? Unwanted)> ComposeAsync(
        IDocumentSession session,
        OutboxMail mail,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        var pool = await LicensePool.OpenAsync(session, mail.Tenant, ct);
        var license = pool.Aggregate?.Licenses.FirstOrDefault(l => l.Id == mail.LicenseId);
        if (
            license is null
            || license.Status != LicenseStatus.Linked
            || license.UserId != mail.UserId
            || license.Email != mail.To
        )
            return (null, "The license was unlinked or confirmed before this mail went out.");
        var token = OneTimeTokens.New();
        pool.AppendOne(
            new LicenseConfirmationIssued(
                license.Id,
                mail.UserId,
                OneTimeTokens.Hash(token),
                now + LicensePool.TokenLifetime,
                now
            )
        );
        return (
            new Letter(
                "Confirm your OrderStream web office license",
                $"A web office license of OrderStream was linked to you.\n\nConfirm it within 48 hours: "
                    + $"{Settings.ConfirmUrl}?tenant={Uri.EscapeDataString(mail.Tenant)}&token={token}\n\n"
                    + $"(Or send this token to POST /api/tenants/{mail.Tenant}/licenses/confirm: {token})\n"
            ),
            null
        );
    }
}
