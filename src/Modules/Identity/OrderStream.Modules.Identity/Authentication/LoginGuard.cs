using System.Security.Cryptography;
using System.Text;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

// Login attempts live in a stream of their own beside the user's, so that logging in never changes the user's ETag.
// UserId is empty for a login code no user has. Address: the client's, as the service saw it.
internal sealed record LoginSucceeded(Guid UserId, DateTimeOffset At, string Channel, string? Address = null);

internal sealed record LoginFailed(
    Guid UserId,
    DateTimeOffset At,
    string Channel,
    int ConsecutiveFailures,
    string? Address = null
);

internal sealed record LoginLockedOut(Guid UserId, DateTimeOffset At, string Channel, DateTimeOffset Until);

internal sealed record LoginRefused(
    Guid UserId,
    DateTimeOffset At,
    string Channel,
    string Reason,
    string? Address = null
);

/// <summary>
/// The failed attempts and the lock of one login code, web office and POS together (ADR 0021). A code no user has is
/// counted and locked the same way, so that answers never tell which codes exist. From the fifth failure in a row, each
/// failure locks the code for longer (30 s, doubling, up to 15 minutes), so that five requests no longer lock anyone
/// out for a quarter of an hour; during a lock, only an address the user logged in from before, and that has not failed
/// since, is heard.
/// </summary>
internal sealed class LoginGuard
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FirstLock = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LongestLock = TimeSpan.FromMinutes(15);
    private const int KeptAddresses = 5;

    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>Where the last successful logins came from, newest first.</summary>
    public List<string> KnownAddresses { get; set; } = [];

    /// <summary>Where failures came from since the last success: never trusted during a lock.</summary>
    public List<string> FailedAddresses { get; set; } = [];

    public static Guid StreamId(Guid userId) => new(MD5.HashData(Encoding.UTF8.GetBytes("login-guard:" + userId)));

    private static Guid UnknownCodeStreamId(string key) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes("login-guard-unknown:" + key)));

    /// <summary>
    /// How long the <paramref name="failures"/>-th failure in a row locks the code (zero: not at all).
    /// </summary>
    public static TimeSpan LockFor(int failures) =>
        failures < MaxFailures
            ? TimeSpan.Zero
            : TimeSpan.FromTicks(Math.Min(LongestLock.Ticks, FirstLock.Ticks << Math.Min(failures - MaxFailures, 16)));

    /// <summary>
    /// What every login does alike (web office and POS): the user by login code, the lock, the secret (a wrong one
    /// counts towards the lock; an unknown code costs a hash too, so both failures take the same time), then the user's
    /// own refusals. One attempt of a code at a time (a transaction-scoped advisory lock), so concurrent failures each
    /// count. Answers the user and their guard, for the channel's own checks and the success it records.
    /// </summary>
    public static async Task<(User User, JasperFx.Events.IEventStream<LoginGuard> Guard)> VerifyAsync(
        IDocumentSession session,
        CredentialHasher hasher,
        string loginCode,
        string secret,
        Func<UserCredentials?, string?> stored,
        DateTimeOffset now,
        string channel,
        string? address,
        string wrongCredentials,
        CancellationToken ct
    )
    {
        var key = loginCode.Trim().ToLowerInvariant();
        await session.BeginTransactionAsync(ct);
        var user = await session.Query<User>().FirstOrDefaultAsync(u => u.LoginKey == key, ct);
        var streamId = user is null ? UnknownCodeStreamId(key) : StreamId(user.Id);
        await session.QueryAsync<int>(
            "select 1 from (select pg_advisory_xact_lock(hashtext(?))) l",
            ct,
            "login:" + streamId
        );
        var guard = await session.Events.FetchForWriting<LoginGuard>(streamId, ct);
        if (guard.Aggregate is { LockedUntil: { } until } state && until > now && !state.Trusts(address))
            throw new TooManyRequestsException($"Too many failed logins. Try again after {until:u}.", until - now);

        var credentials = user is null ? null : await session.LoadAsync<UserCredentials>(user.Id, ct);
        if (!hasher.Verify(secret, stored(credentials)))
            await FailAsync(session, guard, user?.Id ?? Guid.Empty, now, channel, address, wrongCredentials, ct);

        // The secret was right, so the caller may learn why they still cannot log in.
        var refusal =
            !user!.IsActive ? "This user is inactive."
            : !user.AllowLogin ? "This user is not allowed to log in."
            : null;
        if (refusal is not null)
            await RefuseAsync(session, guard, user.Id, now, channel, address, refusal, ct);
        return (user, guard);
    }

    /// <summary>During a lock: an address the user logged in from, which has not failed since (ADR 0021).</summary>
    private bool Trusts(string? address) =>
        address is not null && KnownAddresses.Contains(address) && !FailedAddresses.Contains(address);

    /// <summary>
    /// A wrong credential: counted; from the fifth in a row each locks the code for longer. Always throws.
    /// </summary>
    private static async Task FailAsync(
        IDocumentSession session,
        JasperFx.Events.IEventStream<LoginGuard> guard,
        Guid userId,
        DateTimeOffset now,
        string channel,
        string? address,
        string message,
        CancellationToken ct
    )
    {
        var failures = (guard.Aggregate?.ConsecutiveFailures ?? 0) + 1;
        guard.AppendOne(new LoginFailed(userId, now, channel, failures, address));
        var lockFor = LockFor(failures);
        if (lockFor > TimeSpan.Zero)
        {
            guard.AppendOne(new LoginLockedOut(userId, now, channel, now + lockFor));
            OrderStream.BuildingBlocks.Telemetry.Lockouts.Add(1);
        }
        // Saved here: the refusal that follows must not roll the count back.
        await session.SaveChangesAsync(ct);
        throw lockFor > TimeSpan.Zero
            ? new TooManyRequestsException($"Too many failed logins. Try again after {now + lockFor:u}.", lockFor)
            : new UnauthorizedException(message);
    }

    /// <summary>
    /// Right credentials, but the login is refused (inactive user, wrong sale point...): recorded, then a 403. Always
    /// throws.
    /// </summary>
    public static async Task RefuseAsync(
        IDocumentSession session,
        JasperFx.Events.IEventStream<LoginGuard> guard,
        Guid userId,
        DateTimeOffset now,
        string channel,
        string? address,
        string refusal,
        CancellationToken ct,
        Exception? answer = null
    )
    {
        guard.AppendOne(new LoginRefused(userId, now, channel, refusal, address));
        await session.SaveChangesAsync(ct);
        throw answer ?? new ForbiddenException(refusal);
    }

    public void Apply(LoginSucceeded e)
    {
        (UserId, ConsecutiveFailures, LockedUntil, LastLoginAt) = (e.UserId, 0, null, e.At);
        FailedAddresses.Clear();
        if (e.Address is not { } address)
            return;
        KnownAddresses.Remove(address);
        KnownAddresses.Insert(0, address);
        if (KnownAddresses.Count > KeptAddresses)
            KnownAddresses.RemoveAt(KeptAddresses);
    }

    public void Apply(LoginFailed e)
    {
        (UserId, ConsecutiveFailures) = (e.UserId, e.ConsecutiveFailures);
        if (e.Address is { } address && !FailedAddresses.Contains(address))
            FailedAddresses.Add(address);
    }

    public void Apply(LoginLockedOut e) => (UserId, LockedUntil) = (e.UserId, e.Until);

    // The right secret, refused for another reason: the guesser is not guessing.
    public void Apply(LoginRefused e) => (UserId, ConsecutiveFailures, LockedUntil) = (e.UserId, 0, null);
}
