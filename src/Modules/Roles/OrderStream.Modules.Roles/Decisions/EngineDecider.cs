using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// The API's own authorization (RequireFeature) decided by the engine: the caller must hold one of the features.
/// </summary>
internal sealed class EngineDecider(AccessEngine engine, TenantContext tenant) : IFeatureDecider
{
    public async Task<bool> HoldsAnyAsync(CurrentUser user, IReadOnlyList<string> features, CancellationToken ct)
    {
        var access = await engine.TenantAsync(tenant.Tenant, ct);
        if (await access.UserAsync(engine, user.UserId, ct) is null)
            return false;
        foreach (var feature in features)
            if (access.Holds(user.UserId, feature))
                return true;
        return false;
    }

    public async Task<TokenStanding> StandingAsync(CurrentUser user, CancellationToken ct)
    {
        var access = await engine.TenantAsync(tenant.Tenant, ct);
        return (await access.UserAsync(engine, user.UserId, ct))?.Facts switch
        {
            not { IsActive: true } => TokenStanding.UserInactive,
            { TokenGeneration: var current } when user.Generation < current => TokenStanding.Ended,
            _ => TokenStanding.Good,
        };
    }
}
