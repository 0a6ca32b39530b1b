using System.Security.Cryptography;
using System.Text;

namespace OrderStream.Modules.Identity.Authentication;

// Login attempts live in a stream of their own beside the user's, so that logging in never changes the user's ETag.
internal sealed record LoginSucceeded(Guid UserId, DateTimeOffset At, string Channel);

internal sealed record LoginFailed(Guid UserId, DateTimeOffset At, string Channel, int ConsecutiveFailures);

internal sealed record LoginLockedOut(Guid UserId, DateTimeOffset At, string Channel, DateTimeOffset Until);

internal sealed record LoginRefused(Guid UserId, DateTimeOffset At, string Channel, string Reason);

/// <summary>Consecutive failures and the lock of one user's logins (web office and, later, POS share it).</summary>
internal sealed class LoginGuard
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }

    public static Guid StreamId(Guid userId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes("login-guard:" + userId)));

    public void Apply(LoginSucceeded e) => (UserId, ConsecutiveFailures, LastLoginAt) = (e.UserId, 0, e.At);

    public void Apply(LoginFailed e) => (UserId, ConsecutiveFailures) = (e.UserId, e.ConsecutiveFailures);

    // A lock that ran out gives a fresh set of attempts.
    public void Apply(LoginLockedOut e) => (UserId, ConsecutiveFailures, LockedUntil) = (e.UserId, 0, e.Until);

    public void Apply(LoginRefused e) => (UserId, ConsecutiveFailures) = (e.UserId, 0);
}
