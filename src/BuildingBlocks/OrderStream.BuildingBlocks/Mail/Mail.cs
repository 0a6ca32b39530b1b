using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;
using OrderStream.BuildingBlocks.Errors;

namespace OrderStream.BuildingBlocks.Mail;

/// <summary>
/// Where mail goes (configuration section <c>Mail</c>). A singleton read at every attempt, so a fixed address takes
/// effect without a restart.
/// </summary>
public sealed class MailSettings
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1025;
    public string? User { get; set; }
    public string? Password { get; set; }
    public bool StartTls { get; set; }
    public string From { get; set; } = "OrderStream <no-reply@orderstream.local>";

    /// <summary>The front end's page that posts the token to <c>/licenses/confirm</c>.</summary>
    public string ConfirmUrl { get; set; } = "http://localhost:5080/confirm-license";

    /// <summary>
    /// The front end's page that posts the token and a new password to <c>/auth/password-reset/confirm</c>.
    /// </summary>
    public string ResetUrl { get; set; } = "http://localhost:5080/reset-password";
    public int PollMilliseconds { get; set; } = 1000;
}

public static class Smtp
{
    /// <summary>Sends one plain-text mail; throws what SMTP threw, for the outbox to record and try again.</summary>
    public static async Task SendAsync(
        MailSettings settings,
        string to,
        string subject,
        string text,
        CancellationToken ct
    )
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        using var smtp = new SmtpClient { Timeout = 10_000 };
        await smtp.ConnectAsync(
            settings.Host,
            settings.Port,
            settings.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None,
            ct
        );
        if (settings.User is { Length: > 0 } user)
            await smtp.AuthenticateAsync(user, settings.Password ?? "", ct);
        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(true, ct);
    }

    /// <summary>Waits longer after each failure (2 s, 4 s, ... up to 5 minutes), and never gives up.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Min(attempts, 9))));
}

/// <summary>
/// The one-time tokens mailed links carry: 256 random bits, URL-safe; only their SHA-256 is stored, so a copy of the
/// database opens no link.
/// </summary>
public static class OneTimeTokens
{
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>
/// How often one kind of mail may go, so that it cannot be made to flood an inbox: one a minute and
/// <paramref name="PerSubjectAnHour"/> an hour about one subject (an account, a license), and
/// <paramref name="PerAddressAnHour"/> an hour to one address, whatever the subject.
/// </summary>
public sealed record MailLimits(int PerSubjectAnHour, int PerAddressAnHour)
{
    public static readonly TimeSpan Gap = TimeSpan.FromMinutes(1);

    public enum Limit
    {
        Gap,
        Subject,
        Address,
    }

    /// <summary>The limit a mail to <paramref name="to"/> would pass, and the wait (null: none).</summary>
    public async Task<(Limit Reached, TimeSpan Wait)?> ReachedAsync<TMail>(
        IQuerySession session,
        Func<TMail, bool> sameSubject,
        string to,
        DateTimeOffset now,
        CancellationToken ct
    )
        where TMail : QueuedMail
    {
        var hour = TimeSpan.FromHours(1);
        var since = now - hour;
        var recent = await session
            .Query<TMail>()
            .Where(m => m.QueuedAt > since)
            .OrderBy(m => m.QueuedAt)
            .ToListAsync(ct);
        var subject = recent.Where(sameSubject).Select(m => m.QueuedAt).ToList();
        if (subject.Count > 0 && subject[^1] + Gap > now)
            return (Limit.Gap, subject[^1] + Gap - now);
        if (subject.Count >= PerSubjectAnHour)
            return (Limit.Subject, subject[^PerSubjectAnHour] + hour - now);
        var address = recent
            .Where(m => string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase))
            .Select(m => m.QueuedAt)
            .ToList();
        return address.Count >= PerAddressAnHour ? (Limit.Address, address[^PerAddressAnHour] + hour - now) : null;
    }

    /// <summary>The 429 for a limit reached, saying why and when the mail may go.</summary>
    public static TooManyRequestsException Refusal(string why, TimeSpan wait) =>
        new($"{why} Try again after {wait.TotalSeconds:0} seconds.", wait);
}

/// <summary>
/// A mail of a module's outbox, written in the transaction of the change that wants it: waiting to go, gone, or
/// cancelled, with its attempts. It holds no token: the sender makes one when it sends.
/// </summary>
public abstract class QueuedMail
{
    public Guid Id { get; set; }
    public string Tenant { get; set; } = "";
    public string To { get; set; } = "";
    public DateTimeOffset QueuedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Why it was not sent: the last SMTP error, or why it is no longer wanted.</summary>
    public string? LastError { get; set; }
    public bool Cancelled { get; set; }
}

/// <summary>
/// Sends a module's outbox of mail, for every tenant (the outbox is written in the transaction of the change, so no
/// mail is lost to a crash). Each mail is composed as it goes, its one-time token's hash committed with the next
/// attempt already scheduled before it is sent: the link works the moment it arrives, and a crash mid-send means
/// another mail later, never none. A failure is recorded on the mail and tried again later, never given up.
/// </summary>
public abstract class OutboxSender<TMail>(
    IDocumentStore store,
    MailSettings settings,
    TimeProvider clock,
    ILogger logger
) : BackgroundService
    where TMail : QueuedMail
{
    protected MailSettings Settings { get; } = settings;

    protected sealed record Letter(string Subject, string Text);

    /// <summary>Who the sender's writes are recorded as.</summary>
    protected abstract string Actor { get; }

    /// <summary>
    /// The mail's words with a fresh token, whose hash is written in <paramref name="session"/>; null with the reason
    /// when it is no longer wanted (then it is cancelled).
    /// </summary>
    protected abstract Task<(Letter? Letter, string? Unwanted)> ComposeAsync(
        IDocumentSession session,
        TMail mail,
        DateTimeOffset now,
        CancellationToken ct
    );

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(Errors.LoggedException.Safe(e), "Reading a mail outbox failed; trying again shortly");
            }
            // Real time, not the injected clock: tests move that clock, and the poll must keep running meanwhile.
            try
            {
                await Task.Delay(Settings.PollMilliseconds, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SendDueAsync(CancellationToken ct)
    {
        // PostgreSQL rounds the stored 100-ns ticks to microseconds: a mail due this very instant read back up to half
        // a microsecond late and, with a clock standing still, never went.
        var dueBy = clock.GetUtcNow().AddMicroseconds(1);
        IReadOnlyList<TMail> due;
        await using (var query = store.QuerySession())
            due = await query
                .Query<TMail>()
                .Where(m => m.AnyTenant() && m.SentAt == null && !m.Cancelled && m.NextAttemptAt <= dueBy)
                .OrderBy(m => m.NextAttemptAt)
                .Take(50)
                .ToListAsync(ct);
        foreach (var mail in due)
            await SendAsync(mail, ct);
    }

    private async Task SendAsync(TMail mail, CancellationToken ct)
    {
        await using var session = store.LightweightSession(mail.Tenant);
        session.LastModifiedBy = Actor;
        var now = clock.GetUtcNow();
        var (letter, unwanted) = await ComposeAsync(session, mail, now, ct);
        if (letter is null)
        {
            (mail.Cancelled, mail.LastError) = (true, unwanted);
            session.Store(mail);
            await session.SaveChangesAsync(ct);
            return;
        }
        mail.Attempts++;
        mail.NextAttemptAt = now + Smtp.Backoff(mail.Attempts);
        session.Store(mail);
        await session.SaveChangesAsync(ct);
        try
        {
            await Smtp.SendAsync(Settings, mail.To, letter.Subject, letter.Text, ct);
            (mail.SentAt, mail.LastError) = (now, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            mail.LastError = $"{e.GetType().Name}: {e.Message}";
            logger.LogWarning(
                "{Actor} {Mail} not sent (attempt {Attempts}): {Error}",
                Actor,
                mail.Id,
                mail.Attempts,
                mail.LastError
            );
        }
        session.Store(mail);
        await session.SaveChangesAsync(ct);
    }
}
