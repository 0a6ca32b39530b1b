using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.Roles.Decisions.Engine;
using OrderStream.Modules.Roles.Grants;
using OrderStream.Modules.Roles.Roles;
using Xunit;

namespace OrderStream.Tests.Unit;

/// <summary>
/// The tenant-wide listing of effective permissions walks the compiled holdings and merges the roles' grants; the
/// listing at a sale point judges every grant afresh. At a sale point nobody works at, both must say exactly the same
/// thing, also when roles and grants are time-boxed (lapsed, not begun yet, or in force).
/// </summary>
public sealed class ListingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_fast_tenant_wide_listing_equals_the_listing_judged_grant_by_grant(int seed)
    {
        var tenant = RandomTenant(seed);
        var listed = 0;
        foreach (var user in tenant.Users)
        {
            var fast = EffectivePermissions.List(tenant, user, null);
            var judged = EffectivePermissions.List(tenant, user, Guid.NewGuid());
            var (a, b) = (Describe(judged), Describe(fast));
            var diff = a.Zip(b).FirstOrDefault(x => x.First != x.Second);
            Assert.True(diff == default && a.Length == b.Length, $"judged: {diff.First}\nfast:   {diff.Second}");
            listed += fast.Count;
        }
        Assert.True(listed > 1000, $"the tenant should hold many permissions, not {listed}");
    }

    /// <summary>
    /// A decision's explanation finds the asked feature's grants by index instead of judging every grant: for every
    /// user and every feature, it must allow exactly what the listing lists, at the same qualifier, naming the same
    /// grants.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void An_explained_decision_names_what_the_listing_lists(int seed)
    {
        var tenant = RandomTenant(seed);
        var allowed = 0;
        foreach (var user in tenant.Users)
        {
            var listing = EffectivePermissions.List(tenant, user, null).ToDictionary(p => p.Code);
            foreach (var feature in tenant.Features)
            {
                var decision = Explain.Decide(tenant, user, feature, null, null, null);
                var held = listing.GetValueOrDefault(feature.Code);
                var named = held is null ? "" : string.Join(",", held.Sources.Select(s => $"{s.RoleId}:{s.Qualifier}"));
                var reasons = string.Join(
                    ",",
                    decision.Reasons.Where(r => r.Code.StartsWith("granted")).Select(r => $"{r.RoleId}:{r.Qualifier}")
                );
                Assert.True(
                    decision.Allowed == held is not null
                        && (
                            held is null || (decision.Qualifier == held.Qualifier || held.Unlimited) && reasons == named
                        ),
                    $"{user.Facts.Name}, {feature.Code}: listed {named} (q={held?.Qualifier}), decided "
                        + $"{decision.Allowed} q={decision.Qualifier} {reasons}"
                );
                if (decision.Allowed)
                    allowed++;
            }
        }
        Assert.True(allowed > 1000, $"the tenant should allow many decisions, not {allowed}");
    }

    private static TenantAccess RandomTenant(int seed)
    {
        var catalogue = new FeatureCatalogue();
        var random = new Random(seed);
        // Every kind of feature: tiers, user types, inactive ones, limits and thresholds, and the System Manager grant
        // itself.
        var codes = catalogue.Features.Select(f => f.Code).ToArray();
        var roles = Enumerable
            .Range(0, 30)
            .Select(i => new Role
            {
                Id = Guid.NewGuid(),
                Name = $"Role {i}",
                NameKey = $"role {i}",
                Grants = codes
                    .OrderBy(_ => random.Next())
                    .Take(random.Next(0, 60))
                    .Select(c => new Grant(c, random.Next(3) == 0 ? null : random.Next(0, 12)))
                    .ToList(),
            })
            .ToList();
        string?[] types =
        [
            "BusinessGroupManager",
            "ProductionCoordinator",
            "AccountExecutive",
            "OnlineStoreAdministrator",
            null,
        ];
        var facts = Enumerable
            .Range(0, 300)
            .Select(i => new UserAccessFacts(
                Guid.NewGuid(),
                $"User {i}",
                i % 17 != 0,
                i % 11 == 0,
                types[i % types.Length],
                [],
                null,
                null,
                []
            ))
            .ToList();
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        // No window, lapsed, not begun, or in force.
        (DateTimeOffset?, DateTimeOffset?) Window() =>
            random.Next(4) switch
            {
                0 => (null, now.AddHours(-1)),
                1 => (now.AddHours(1), null),
                2 => (now.AddDays(-1), now.AddDays(1)),
                _ => (null, null),
            };
        var access = facts
            .Select(f => new UserAccess
            {
                Id = UserAccess.StreamId(f.UserId),
                UserId = f.UserId,
                Roles = roles
                    .OrderBy(_ => random.Next())
                    .Take(random.Next(0, 5))
                    .Select(r => Window() is var (from, until) ? new RoleAssignment(r.Id, from, until) : null!)
                    .ToList(),
                Grants = codes
                    .OrderBy(_ => random.Next())
                    .Take(random.Next(0, 6))
                    .Select(c =>
                        Window() is var (from, until)
                            ? new Grant(c, random.Next(4) == 0 ? null : random.Next(0, 12), from, until)
                            : null!
                    )
                    .ToList(),
            })
            .ToList();
        return new TenantAccess(
            "listing",
            catalogue,
            [],
            new Dictionary<string, Tier>(),
            roles,
            access,
            facts,
            [],
            [],
            now
        );
    }

    private static string[] Describe(IReadOnlyList<EffectivePermissions.Permission> permissions) =>
        permissions
            .Select(p =>
                $"{p.Code} q={p.Qualifier} u={p.Unlimited} effects={p.Effects.Count} from="
                + string.Join(",", p.Sources.Select(s => $"{s.Kind}:{s.RoleId}:{s.Qualifier}:{s.SalePointId}"))
            )
            .ToArray();
}
