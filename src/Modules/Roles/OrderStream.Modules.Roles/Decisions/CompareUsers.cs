namespace OrderStream.Modules.Roles.Decisions;

/// <summary>
/// What one user can do that the other cannot, and why (issue #6): each user's effective permissions (tenant-wide, or
/// at a sale point) side by side — features only one holds, with the grants that give them, and features both hold at
/// different levels. The same rules as the listing: asking about others needs the right to.
/// </summary>
internal static class CompareUsers
{
    public sealed record Query(Guid A, Guid B, Guid? SalePointId) : IQuery<Result>;

    public sealed record Side(string UserId, bool IsActive);

    public sealed record Difference(
        string Code,
        string Name,
        int? QualifierA,
        bool UnlimitedA,
        int? QualifierB,
        bool UnlimitedB,
        IReadOnlyList<EffectivePermissions.Source> SourcesA,
        IReadOnlyList<EffectivePermissions.Source> SourcesB
    );

    public sealed record Result(
        Side A,
        Side B,
        IReadOnlyList<EffectivePermissions.Permission> OnlyA,
        IReadOnlyList<EffectivePermissions.Permission> OnlyB,
        IReadOnlyList<Difference> DifferentLevels
    );

    internal sealed class Handler(IMediator mediator) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query q, CancellationToken ct)
        {
            var a = await mediator.Send(new EffectivePermissions.Query(q.A, q.SalePointId, false), ct);
            var b = await mediator.Send(new EffectivePermissions.Query(q.B, q.SalePointId, false), ct);
            var ofB = b.Permissions.ToDictionary(p => p.Code);
            var ofA = a.Permissions.ToDictionary(p => p.Code);
            var levels = a
                .Permissions.Where(p =>
                    ofB.TryGetValue(p.Code, out var other)
                    && (p.Qualifier, p.Unlimited) != (other.Qualifier, other.Unlimited)
                )
                .Select(p => (A: p, B: ofB[p.Code]))
                .Select(x => new Difference(
                    x.A.Code,
                    x.A.Name,
                    x.A.Qualifier,
                    x.A.Unlimited,
                    x.B.Qualifier,
                    x.B.Unlimited,
                    x.A.Sources,
                    x.B.Sources
                ))
                .ToList();
            return new Result(
                new Side(a.UserId, a.IsActive),
                new Side(b.UserId, b.IsActive),
                a.Permissions.Where(p => !ofB.ContainsKey(p.Code)).ToList(),
                b.Permissions.Where(p => !ofA.ContainsKey(p.Code)).ToList(),
                levels
            );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/users/{a:guid}/compare/{b:guid}",
                    (Guid a, Guid b, Guid? salePointId, IMediator mediator, CancellationToken ct) =>
                        mediator.Send(new Query(a, b, salePointId), ct)
                )
                .WithTags("Authorization")
                .WithName("CompareUsers")
                .WithSummary("Compare two users' permissions")
                .WithDescription("The features and qualifiers where two users differ, tenant-wide or at a sale point.")
                .Produces<Result>()
                .RequireAuthorization();
    }
}
