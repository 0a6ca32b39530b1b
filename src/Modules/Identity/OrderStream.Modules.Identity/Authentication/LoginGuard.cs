using System.Security.Cryptography;
using System.Text;
using OrderStream.Modules.Identity.Users;

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

    /// <summary>
    /// What every login does alike (web office and POS): the user by login code (an unknown code costs a hash too, so both
    /// failures take the same time), the lock, the secret (a wrong one counts towards the lock), then the user's own
    /// refusals. Answers the user and their guard, for the channel's own checks and the success it records.
    /// </summary>
    public static async Task<(User User, JasperFx.Events.IEventStream<LoginGuard> Guard)> VerifyAsync(IDocumentSession session,
        CredentialHasher hasher, string loginCode, string secret, Func<UserCredentials?, string?> stored, DateTimeOffset now, string channel,
        string wrongCredentials, CancellationToken ct)
    {
        var key = loginCode.Trim().ToLowerInvariant();
        var user = await session.Query<User>().FirstOrDefaultAsync(u => u.LoginKey == key, ct);
        if (user is null)
        {
            hasher.Verify(secret, null);
            throw new UnauthorizedException(wrongCredentials);
        }
        var guard = await OpenAsync(session, user.Id, now, ct);
        var credentials = await session.LoadAsync<UserCredentials>(user.Id, ct);
        if (!hasher.Verify(secret, stored(credentials))) await FailAsync(session, guard, user.Id, now, channel, wrongCredentials, ct);

        // The secret was right, so the caller may learn why they still cannot log in.
        var refusal = !user.IsActive ? "This user is inactive." : !user.AllowLogin ? "This user is not allowed to log in." : null;
        if (refusal is not null) await RefuseAsync(session, guard, user.Id, now, channel, refusal, ct);
        return (user, guard);
    }

    /// <summary>The user's guard for an attempt; a locked login is refused before any credential is checked.</summary>
    private static async Task<JasperFx.Events.IEventStream<LoginGuard>> OpenAsync(IDocumentSession session, Guid userId, DateTimeOffset now,
        CancellationToken ct)
    {
        var guard = await session.Events.FetchForWriting<LoginGuard>(StreamId(userId), ct);
        if (guard.Aggregate?.LockedUntil is { } until && until > now)
            throw new TooManyRequestsException($"Too many failed logins. Try again after {until:u}.", until - now);
        return guard;
    }

    /// <summary>A wrong credential: counted (web and POS together), the fifth in a row locks the login. Always throws.</summary>
    private static async Task FailAsync(IDocumentSession session, JasperFx.Events.IEventStream<LoginGuard> guard, Guid userId, DateTimeOffset now,
        string channel, string message, CancellationToken ct)
    {
        var failures = (guard.Aggregate?.ConsecutiveFailures ?? 0) + 1;
        guard.AppendOne(new LoginFailed(userId, now, channel, failures));
        if (failures >= MaxFailures) guard.AppendOne(new LoginLockedOut(userId, now, channel, now + LockDuration));
        // Saved here: the refusal that follows must not roll the count back.
        await session.SaveChangesAsync(ct);
        throw failures >= MaxFailures
            ? new TooManyRequestsException("Too many failed logins: this login is locked for 15 minutes.", LockDuration)
            : new UnauthorizedException(message);
    }

    /// <summary>Right credentials, but the login is refused (inactive user, wrong sale point...): recorded, then a 403. Always throws.</summary>
    public static async Task RefuseAsync(IDocumentSession session, JasperFx.Events.IEventStream<LoginGuard> guard, Guid userId, DateTimeOffset now,
        string channel, string refusal, CancellationToken ct, Exception? answer = null)
    {
        guard.AppendOne(new LoginRefused(userId, now, channel, refusal));
        await session.SaveChangesAsync(ct);
        throw answer ?? new ForbiddenException(refusal);
    }

    public void Apply(LoginSucceeded e) => (UserId, ConsecutiveFailures, LastLoginAt) = (e.UserId, 0, e.At);

    public void Apply(LoginFailed e) => (UserId, ConsecutiveFailures) = (e.UserId, e.ConsecutiveFailures);

    // A lock that ran out gives a fresh set of attempts.
    public void Apply(LoginLockedOut e) => (UserId, ConsecutiveFailures, LockedUntil) = (e.UserId, 0, e.Until);

    public void Apply(LoginRefused e) => (UserId, ConsecutiveFailures) = (e.UserId, 0);
}
