using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

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
/// Sends a module's outbox of mail: asks it to send what is due, again and again, a failed round logged and tried
/// again at the next poll. The outbox is written in the transaction of the change, so no mail is lost to a crash.
/// </summary>
public abstract class OutboxPoller(MailSettings settings, ILogger logger) : BackgroundService
{
    protected MailSettings Settings { get; } = settings;

    protected abstract Task SendDueAsync(CancellationToken ct);

    /// <summary>
    /// The instant a mail must be due by to go now: PostgreSQL rounds the stored 100-ns ticks to microseconds, so a
    /// mail due this very instant read back up to half a microsecond late and, with a clock standing still, never
    /// went.
    /// </summary>
    protected static DateTimeOffset DueBy(DateTimeOffset now) => now.AddMicroseconds(1);

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
}
