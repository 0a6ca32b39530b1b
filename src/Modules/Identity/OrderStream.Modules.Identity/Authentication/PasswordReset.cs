using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Mail;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// A password-reset mail waiting to go, or gone: the outbox, written in the transaction that asks for it, so no mail is
/// lost to a crash or an SMTP outage. It holds no token: the sender makes one when it sends.
/// </summary>
internal sealed class PasswordResetMail
{
    public Guid Id { get; set; }
    public string Tenant { get; set; } = "";
    public Guid UserId { get; set; }
    public string To { get; set; } = "";
    public DateTimeOffset QueuedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
    public bool Cancelled { get; set; }
}

/// <summary>
/// The user's one link to set a password (issue #23, item 6): only its hash is stored; good for an hour and once; a
/// newer one replaces it. Its id is the user's.
/// </summary>
internal sealed class PasswordResetToken
{
    public Guid Id { get; set; }
    public string TokenHash { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}

internal static class PasswordReset
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan AccountGap = TimeSpan.FromMinutes(1);
    public const int PerAccountAnHour = 5,
        PerAddressAnHour = 10;

    /// <summary>
    /// Why no reset mail may go now (null: it may): one a minute and five an hour per account, ten an hour per address,
    /// so the reset never floods an inbox.
    /// </summary>
    public static async Task<(string Why, TimeSpan Wait)?> OverLimitAsync(
        IQuerySession session,
        Guid userId,
        string to,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        var hourAgo = now - TimeSpan.FromHours(1);
        var recent = await session
            .Query<PasswordResetMail>()
            .Where(m => m.QueuedAt > hourAgo)
            .OrderBy(m => m.QueuedAt)
            .ToListAsync(ct);
        var account = recent.Where(m => m.UserId == userId).Select(m => m.QueuedAt).ToList();
        if (account.Count > 0 && account[^1] + AccountGap > now)
            return ("A password-reset mail went to this user less than a minute ago.", account[^1] + AccountGap - now);
        if (account.Count >= PerAccountAnHour)
            return (
                $"This user had {PerAccountAnHour} password-reset mails in the last hour.",
                account[^PerAccountAnHour] + TimeSpan.FromHours(1) - now
            );
        var address = recent
            .Where(m => string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase))
            .Select(m => m.QueuedAt)
            .ToList();
        if (address.Count >= PerAddressAnHour)
            return (
                $"{to} had {PerAddressAnHour} password-reset mails in the last hour.",
                address[^PerAddressAnHour] + TimeSpan.FromHours(1) - now
            );
        return null;
    }

    public static void Queue(IDocumentSession session, string tenant, User user, DateTimeOffset now) =>
        session.Store(
            new PasswordResetMail
            {
                Id = Guid.CreateVersion7(),
                Tenant = tenant,
                UserId = user.Id,
                To = user.Email!,
                QueuedAt = now,
                NextAttemptAt = now,
            }
        );
}

/// <summary>
/// Sends the due password-reset mails of every tenant. The token's hash is committed (with the next attempt already
/// scheduled) before the mail goes, so the link works the moment it arrives; a crash mid-send means another mail later.
/// </summary>
internal sealed class PasswordResetMailSender(
    IDocumentStore store,
    MailSettings settings,
    TimeProvider clock,
    ILogger<PasswordResetMailSender> logger
) : OutboxPoller(settings, logger)
{
    protected override async Task SendDueAsync(CancellationToken ct)
    {
        var dueBy = DueBy(clock.GetUtcNow());
        List<PasswordResetMail> due;
        await using (var query = store.QuerySession())
            due = (
                await query
                    .Query<PasswordResetMail>()
                    .Where(m => m.AnyTenant() && m.SentAt == null && !m.Cancelled && m.NextAttemptAt <= dueBy)
                    .OrderBy(m => m.NextAttemptAt)
                    .Take(50)
                    .ToListAsync(ct)
            ).ToList();
        foreach (var mail in due)
            await SendAsync(mail, ct);
    }

    private async Task SendAsync(PasswordResetMail mail, CancellationToken ct)
    {
        await using var session = store.LightweightSession(mail.Tenant);
        session.LastModifiedBy = "password-reset-mail";
        var now = clock.GetUtcNow();
        // Sent to the address the user has now: one changed or a user deactivated since is not mailed.
        if (await session.LoadAsync<User>(mail.UserId, ct) is not { IsActive: true } user || user.Email != mail.To)
        {
            (mail.Cancelled, mail.LastError) = (true, "The user was deactivated or their e-mail address changed.");
            session.Store(mail);
            await session.SaveChangesAsync(ct);
            return;
        }
        var token = OneTimeTokens.New();
        session.Store(
            new PasswordResetToken
            {
                Id = user.Id,
                TokenHash = OneTimeTokens.Hash(token),
                ExpiresAt = now + PasswordReset.Lifetime,
            }
        );
        mail.Attempts++;
        mail.NextAttemptAt = now + Smtp.Backoff(mail.Attempts);
        session.Store(mail);
        await session.SaveChangesAsync(ct);
        try
        {
            await Smtp.SendAsync(
                Settings,
                mail.To,
                "Set your OrderStream password",
                $"Someone asked to set the password of {user.EmployeeName()} ({user.LoginCode}) in OrderStream.\n\n"
                    + $"Set it within an hour: {Settings.ResetUrl}?tenant={Uri.EscapeDataString(mail.Tenant)}"
                    + $"&token={token}\n\nIf it was not you, ignore this mail: your password stays as it is.\n",
                ct
            );
            (mail.SentAt, mail.LastError) = (now, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            mail.LastError = $"{e.GetType().Name}: {e.Message}";
            logger.LogWarning(
                "Password-reset mail {Mail} not sent (attempt {Attempts}): {Error}",
                mail.Id,
                mail.Attempts,
                mail.LastError
            );
        }
        session.Store(mail);
        await session.SaveChangesAsync(ct);
    }
}
