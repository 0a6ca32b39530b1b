using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.TimeBoxes;
using OrderStream.Modules.Roles.Roles;

namespace OrderStream.Modules.Roles.Grants;

/// <summary>
/// Takes time-boxed roles and direct grants away once they lapsed, one audited event each, naming the instant.
/// </summary>
internal sealed class GrantLapses(
    IDocumentStore store,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<GrantLapses> logger
) : LapseSweeper(store, clock, configuration, logger)
{
    protected override async Task RecordAsync(IDocumentSession session, DateTimeOffset now, CancellationToken ct)
    {
        var due = await session.Query<UserAccess>().Where(u => u.NextLapse <= now).Take(500).ToListAsync(ct);
        if (due.Count == 0)
            return;
        var roles = (
            await session.LoadManyAsync<Role>(ct, due.SelectMany(u => u.Roles).Select(r => r.RoleId).Distinct())
        ).ToDictionary(r => r.Id, r => r.Name);
        foreach (var user in due)
        {
            var stream = await session.Events.FetchForWriting<UserAccess>(user.Id, user.Version, ct);
            foreach (var r in user.Roles.Where(r => r.ValidUntil <= now))
                stream.AppendOne(
                    new RoleAssignmentLapsed(
                        user.UserId,
                        r.RoleId,
                        roles.GetValueOrDefault(r.RoleId, ""),
                        r.ValidUntil!.Value
                    )
                );
            foreach (var g in user.Grants.Where(g => g.ValidUntil <= now))
                stream.AppendOne(new GrantLapsed(user.UserId, g.FeatureCode, g.Qualifier, g.ValidUntil!.Value));
        }
    }
}
