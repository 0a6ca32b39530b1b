using Marten;
using OrderStream.BuildingBlocks.Web;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// The foundation's stand-in decision until the Roles &amp; Secure Features module exists: an active System Administrator
/// holds every feature, everyone else none. Read from the database, so a deactivation or a cleared flag counts at once.
/// </summary>
internal sealed class SystemAdministratorDecider(IQuerySession session) : IFeatureDecider
{
    public async Task<bool> HoldsAnyAsync(CurrentUser user, IReadOnlyList<string> features, CancellationToken ct) =>
        await session.LoadAsync<User>(user.UserId, ct) is { IsActive: true, IsSystemAdministrator: true };
}
