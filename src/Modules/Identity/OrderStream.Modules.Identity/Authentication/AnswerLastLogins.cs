using OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// Identity's answer to the published <see cref="GetLastLogins"/> query (Billing's dormant-users report asks it).
/// </summary>
internal sealed class AnswerLastLogins(IQuerySession session)
    : IRequestHandler<GetLastLogins, IReadOnlyList<UserLastLogin>>
{
    public async Task<IReadOnlyList<UserLastLogin>> Handle(GetLastLogins query, CancellationToken ct)
    {
        var guards = query.UserIds is { } ids
            ? (ids.Count == 0 ? [] : await session.LoadManyAsync<LoginGuard>(ct, ids.Select(LoginGuard.StreamId)))
            : await session.Query<LoginGuard>().Where(g => g.LastLoginAt != null).ToListAsync(ct);
        return guards
            .Where(g => g.LastLoginAt is not null)
            .Select(g => new UserLastLogin(g.UserId, g.LastLoginAt))
            .ToList();
    }
}
