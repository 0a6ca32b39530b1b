using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Modules.Roles.Decisions;

namespace OrderStream.Modules.Roles.Roles;

internal sealed record GrantBody(string? FeatureCode, int? Qualifier);

internal sealed record RoleResponse(
    string Id,
    long Version,
    string Name,
    string? Description,
    IReadOnlyList<Grant> Grants
)
{
    public static RoleResponse From(Role r) => new(r.Id.ToString(), r.Version, r.Name, r.Description, r.Grants);
}

internal sealed class GrantBodyValidator : AbstractValidator<GrantBody>
{
    public const int MaxQualifier = 1_000_000;

    public GrantBodyValidator()
    {
        RuleFor(g => g.FeatureCode).NotEmpty().MaximumLength(100);
        RuleFor(g => g.Qualifier).InclusiveBetween(0, MaxQualifier);
    }
}

/// <summary>What a role is made of, as creating and editing one send it.</summary>
internal interface IRoleFields
{
    string Name { get; }
    string? Description { get; }
    IReadOnlyList<GrantBody>? Grants { get; }
}

internal sealed class RoleFieldsValidator : AbstractValidator<IRoleFields>
{
    public RoleFieldsValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(100);
        RuleFor(c => c.Description).MaximumLength(1000);
        RuleFor(c => c.Grants).Must(g => g is null || g.Count <= 500).WithMessage("A role holds at most 500 features.");
        RuleForEach(c => c.Grants).NotNull().SetValidator(new GrantBodyValidator());
    }
}

/// <summary>
/// What the caller may put on a role or give: known features, each at most once, none past the caller's tier.
/// </summary>
internal sealed class RoleGrants(AccessEngine engine, TenantContext tenant, ActorContext actor, IQuerySession session)
{
    public async Task<IReadOnlyList<Grant>> CheckAsync(
        IReadOnlyList<GrantBody> grants,
        IReadOnlyCollection<Grant> alreadyOnRole,
        CancellationToken ct
    )
    {
        var access = await engine.TenantAsync(tenant.Tenant, ct);
        var granter = await access.GranterAsync(engine, actor.RequireUser().UserId, ct);
        var onlyWhatYouHold = await Settings.AccessSettings.GrantOnlyWhatYouHoldAsync(session, ct);
        var result = new List<Grant>();
        for (var i = 0; i < grants.Count; i++)
        {
            var code = grants[i].FeatureCode!;
            var feature = await access.FeatureAsync(engine, code, ct)
                ?? throw new FieldRuleException($"grants[{i}].featureCode", $"There is no secure feature '{code}'.");
            if (result.Any(g => g.FeatureCode == code))
                throw new FieldRuleException($"grants[{i}].featureCode", $"'{code}' is on the role twice.");
            // Tier features the role has already are no new grant: an editor below their tier may still edit the rest.
            if (
                !alreadyOnRole.Any(g => g.FeatureCode == code)
                && Rules.WhyNotGrantable(feature, granter.Facts, access.IsSystemManager(granter)) is { } why
            )
                throw new ForbiddenException(why);
            // With "grant only what you hold", what the role gains (a new feature, a higher qualifier) must be the
            // editor's own.
            if (
                onlyWhatYouHold
                && Raises(alreadyOnRole.FirstOrDefault(g => g.FeatureCode == code), grants[i].Qualifier, feature)
                && access.WhyNotHeldByGranter(granter, feature, grants[i].Qualifier) is { } notHeld
            )
                throw new ForbiddenException(notHeld);
            result.Add(new Grant(code, grants[i].Qualifier));
        }
        return result;
    }

    private static bool Raises(Grant? before, int? qualifier, SecureFeature feature)
    {
        if (before is null)
            return true;
        var (was, now) = (Holding.Of(before.Qualifier, feature), Holding.Of(qualifier, feature));
        return !was.Unlimited && (now.Unlimited || (now.Qualifier ?? 0) > (was.Qualifier ?? 0));
    }
}
