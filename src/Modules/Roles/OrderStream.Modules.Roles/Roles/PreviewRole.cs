using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Roles.Roles;

/// <summary>
/// Seeing before changing (issue #6): which of a role's holders would gain or lose which features, or a qualifier
/// level, if the role held the proposed grants — tenant-wide holders, and holders at each sale point where it is their
/// role there. Grants from other roles and direct grants count as they do in decisions. Nothing is saved.
/// </summary>
internal static class PreviewRole
{
    public sealed record Body(IReadOnlyList<GrantBody>? Grants);

    public sealed record Query(Guid Id, IReadOnlyList<GrantBody>? Grants) : IQuery<Result>;

    public sealed record Level(string Feature, string Name, int? Qualifier, bool Unlimited);

    public sealed record Change(string Feature, string Name, int? From, bool FromUnlimited, int? To, bool ToUnlimited);

    /// <summary>
    /// <c>SalePointId</c>: null for the user's tenant-wide holding of the role, else the sale point where it is their
    /// role.
    /// </summary>
    public sealed record UserChange(
        string UserId,
        string Name,
        string? SalePointId,
        IReadOnlyList<Level> Gains,
        IReadOnlyList<Level> Losses,
        IReadOnlyList<Change> Changes
    );

    /// <summary>A holder the role would no longer be for (a feature added past their tier): saving refuses.</summary>
    public sealed record Refusal(string UserId, string Name, string Why);

    public sealed record Result(
        string RoleId,
        string RoleName,
        int Holdings,
        int UsersAffected,
        IReadOnlyList<Refusal> Refused,
        IReadOnlyList<UserChange> Users
    );

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Grants)
                .NotNull()
                .Must(g => g is null || g.Count <= 500)
                .WithMessage("A role holds at most 500 features.");
            RuleForEach(q => q.Grants).NotNull().SetValidator(new GrantBodyValidator());
        }
    }

    internal sealed class Handler(AccessEngine engine, TenantContext tenant, IMediator mediator)
        : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query q, CancellationToken ct)
        {
            var access = await engine.TenantAsync(tenant.Tenant, ct);
            var role = await access.RoleAsync(engine, q.Id, ct) ?? throw new NotFoundException("Role", q.Id.ToString());
            var grants = new List<Grant>();
            for (var i = 0; i < q.Grants!.Count; i++)
            {
                var code = q.Grants[i].FeatureCode!;
                if (await access.FeatureAsync(engine, code, ct) is null)
                    throw new FieldRuleException($"grants[{i}].featureCode", $"There is no secure feature '{code}'.");
                if (grants.Any(g => g.FeatureCode == code))
                    throw new FieldRuleException($"grants[{i}].featureCode", $"'{code}' is on the role twice.");
                grants.Add(new Grant(code, q.Grants[i].Qualifier));
            }
            var proposed = access.CompileRole(
                new Role
                {
                    Id = role.Id,
                    Name = role.Name,
                    NameKey = role.NameKey,
                    Description = role.Description,
                    Grants = grants,
                }
            );

            // Who holds it: tenant-wide (the engine's), and as the role at a sale point (Sale Points' records).
            var holdings = access.HoldersOf(role.Id).Select(u => (u.Facts.UserId, (Guid?)null)).ToList();
            foreach (var located in await mediator.Send(new GetUserLocations(null), ct))
                holdings.AddRange(
                    located
                        .SalePoints.Where(s => s.RoleId == role.Id)
                        .Select(s => (located.UserId, (Guid?)s.SalePointId))
                );
            // Shown first: the holders for whom saving these grants would be refused (issue #23).
            var codes = grants.Select(g => g.FeatureCode).ToList();
            var check = access.EditMayRefuseHolders(role.Grants.Select(g => g.FeatureCode), codes);
            var refused = new List<Refusal>();
            foreach (var userId in check ? holdings.Select(h => h.Item1).Distinct() : [])
                if (
                    await access.UserAsync(engine, userId, ct) is { } holder
                    && access.WhyNotHoldable(role.Name, codes, holder.Facts, access.IsSystemManager(holder)) is { } why
                )
                    refused.Add(new Refusal(userId.ToString(), holder.Facts.Name, why));
            var users = new List<UserChange>();
            foreach (var (userId, salePointId) in holdings)
            {
                if (await access.UserAsync(engine, userId, ct) is not { Facts.IsActive: true } user)
                    continue;
                var before = Levels(access.Grants(user, salePointId));
                var after = Levels(access.GrantsWith(user, salePointId, proposed));
                var gains = after
                    .Where(a => !before.ContainsKey(a.Key))
                    .Select(a => Of(access, a.Key, a.Value))
                    .ToList();
                var losses = before
                    .Where(b => !after.ContainsKey(b.Key))
                    .Select(b => Of(access, b.Key, b.Value))
                    .ToList();
                var changes = before
                    .Where(b => after.TryGetValue(b.Key, out var a) && a != b.Value)
                    .Select(b => (Feature: access.FeatureAt(b.Key), From: b.Value, To: after[b.Key]))
                    .Select(x => new Change(
                        x.Feature.Code,
                        x.Feature.Name,
                        x.From.Qualifier,
                        x.From.Unlimited,
                        x.To.Qualifier,
                        x.To.Unlimited
                    ))
                    .ToList();
                if (gains.Count + losses.Count + changes.Count > 0)
                    users.Add(
                        new UserChange(
                            userId.ToString(),
                            user.Facts.Name,
                            salePointId?.ToString(),
                            gains,
                            losses,
                            changes
                        )
                    );
            }
            return new Result(
                role.IdText,
                role.Name,
                holdings.Count,
                users.Select(u => u.UserId).Distinct().Count(),
                [.. refused.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase)],
                users.OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ThenBy(u => u.SalePointId).ToList()
            );
        }

        /// <summary>
        /// Each feature held, with its holding, from the grants that are valid for the user (as decisions combine
        /// them).
        /// </summary>
        private static SortedDictionary<int, Holding> Levels(List<TenantAccess.Source> sources)
        {
            var levels = new SortedDictionary<int, Holding>();
            foreach (var s in sources.Where(s => s.Why is null))
                levels[s.Index] = levels.TryGetValue(s.Index, out var held) ? held.Max(s.Holding) : s.Holding;
            return levels;
        }

        private static Level Of(TenantAccess access, int index, Holding holding) =>
            new(access.FeatureAt(index).Code, access.FeatureAt(index).Name, holding.Qualifier, holding.Unlimited);
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/roles/{id:guid}/preview",
                    (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
                        mediator.Send(new Query(id, body.Grants), ct)
                )
                .WithTags("Roles")
                .WithName("PreviewRoleChange")
                .WithSummary("Preview a role change")
                .WithDescription(
                    "Which users would gain or lose what if the role were changed so, and first (`refused`) the "
                        + "holders for whom the change would be refused (a feature added beyond their tier); nothing "
                        + "is written."
                )
                .Produces<Result>()
                .RequireFeature(RolesModule.MaintainRoles);
    }
}
