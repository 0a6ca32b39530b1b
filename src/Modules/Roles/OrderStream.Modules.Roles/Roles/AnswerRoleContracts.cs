using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.Roles.Decisions;

namespace OrderStream.Modules.Roles.Roles;

/// <summary>
/// What this module tells others in-process (published contracts): roles by id, every role, and decisions.
/// </summary>
internal sealed class AnswerRoleContracts(AccessEngine engine, TenantContext tenant, IQuerySession session)
    : IRequestHandler<DescribeRole, RoleFacts?>,
        IRequestHandler<DecideAccess, AccessAnswer>,
        IRequestHandler<Contracts.ListRoles, IReadOnlyList<RoleFacts>>
{
    public async Task<IReadOnlyList<RoleFacts>> Handle(Contracts.ListRoles q, CancellationToken ct) =>
        [
            .. (await session.Query<Role>().Where(r => !r.IsDeleted).ToListAsync(ct)).Select(r => new RoleFacts(
                r.Id,
                r.Name
            )),
        ];

    public async Task<RoleFacts?> Handle(DescribeRole q, CancellationToken ct)
    {
        var access = await engine.TenantAsync(tenant.Tenant, ct);
        if (await access.RoleAsync(engine, q.RoleId, ct) is not { } role)
            return null;
        if (q.GranterId is { } granter)
            access.RequireGivable(
                role,
                await access.GranterAsync(engine, granter, ct),
                await Settings.AccessSettings.GrantOnlyWhatYouHoldAsync(session, ct)
            );
        foreach (var holderId in q.HolderIds ?? [])
            if (await access.UserAsync(engine, holderId, ct) is { } holder)
                access.RequireHoldable(role, holder.Facts, access.IsSystemManager(holder));
        return new RoleFacts(role.Id, role.Name);
    }

    public async Task<AccessAnswer> Handle(DecideAccess q, CancellationToken ct)
    {
        var access = await engine.TenantAsync(tenant.Tenant, ct);
        var feature = await access.FeatureAsync(engine, q.Feature, ct)
            ?? throw new InvalidOperationException($"Unknown secure feature '{q.Feature}'.");
        var salePoint = q.SalePointId is { } id ? await access.LocationAsync(engine, id, ct) : null;
        var decision = Explain.Decide(
            access,
            await access.UserAsync(engine, q.UserId, ct),
            feature,
            null,
            salePoint,
            null
        );
        return new AccessAnswer(decision.Allowed, decision.Reasons.Count == 0 ? "" : decision.Reasons[0].Message);
    }
}
