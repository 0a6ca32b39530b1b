using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Mail;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// A password-reset mail waiting to go, or gone: the outbox, written in the transaction that asks for it, so no mail is
/// lost to a crash or an SMTP outage. It holds no token: the sender makes one when it sends.
/// </summary>
internal sealed class PasswordResetMail : QueuedMail
{
    public Guid UserId { get; set; }
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
    private static readonly MailLimits Limits = new(PerSubjectAnHour: 5, PerAddressAnHour: 10);

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
    ) =>
        await Limits.ReachedAsync<PasswordResetMail>(session, m => m.UserId == userId, to, now, ct) switch
        {
            null => null,
            (MailLimits.Limit.Gap, var wait) => (
                "A password-reset mail went to this user less than a minute ago.",
                wait
            ),
            (MailLimits.Limit.Subject, var wait) => (
                $"This user had {Limits.PerSubjectAnHour} password-reset mails in the last hour.",
                wait
            ),
            (_, var wait) => ($"{to} had {Limits.PerAddressAnHour} password-reset mails in the last hour.", wait),
        };

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

/// <summary>Sends the password-reset links; one to a user deactivated or re-addressed since is cancelled.</summary>
internal sealed class PasswordResetMailSender(
    IDocumentStore store,
    MailSettings settings,
    TimeProvider clock,
    ILogger<PasswordResetMailSender> logger
) : OutboxSender<PasswordResetMail>(store, settings, clock, logger)
{
    protected override string Actor => "password-reset-mail";

    protected override async Task<(Letter? Letter, string? Unwanted)> ComposeAsync(
        IDocumentSession session,
        PasswordResetMail mail,
        DateTimeOffset now,
        CancellationToken ct
    )
    {
        if (await session.LoadAsync<User>(mail.UserId, ct) is not { IsActive: true } user || user.Email != mail.To)
            return (null, "The user was deactivated or their e-mail address changed.");
        var token = OneTimeTokens.New();
        session.Store(
            new PasswordResetToken
            {
                Id = user.Id,
                TokenHash = OneTimeTokens.Hash(token),
                ExpiresAt = now + PasswordReset.Lifetime,
            }
        );
        return (
            new Letter(
                "Set your OrderStream password",
                $"Someone asked to set the password of {user.EmployeeName()} ({user.LoginCode}) in OrderStream.\n\n"
                    + $"Set it within an hour: {Settings.ResetUrl}?tenant={Uri.EscapeDataString(mail.Tenant)}"
                    + $"&token={token}\n\nIf it was not you, ignore this mail: your password stays as it is.\n"
            ),
            null
        );
    }
}
