using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderStream.BuildingBlocks.Modules;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.SalePoints.Assignments;
using OrderStream.Modules.SalePoints.Contracts;
using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints;

/// <summary>
/// Registers the Sale Points module: sale points, stores and users' assignments to them (issue #4), in schema
/// "salepoints".
/// </summary>
public sealed class SalePointsModule : IModule
{
    public const string Schema = "salepoints";

    internal const string MaintainLocations = SecureFeatureCodes.MaintainLocations;

    /// <summary>Giving users their sale points and stores is managing users (PRODUCT.md).</summary>
    internal static readonly string[] ManageUsers =
    [
        SecureFeatureCodes.BackOfficeUsers,
        SecureFeatureCodes.MaintainEmployeeData,
    ];

    /// <summary>Whoever manages users must see the sale points and stores they assign.</summary>
    internal static readonly string[] SeeLocations =
    [
        MaintainLocations,
        SecureFeatureCodes.BackOfficeUsers,
        SecureFeatureCodes.MaintainEmployeeData,
    ];

    /// <summary>
    /// Publishes users' locations and locations' changes; consumes nothing; asks Identity for users, Roles to describe
    /// and judge the roles given at sale points, to decide the POS login and who may change whom.
    /// </summary>
    public ModuleFlows Flows { get; } =
        new(
            Publishes: [typeof(UserLocationsChanged), typeof(LocationUpdated), typeof(LocationStatusChanged)],
            Consumes: [],
            Asks: [typeof(GetUserAccessFacts), typeof(DescribeRole), typeof(DecideAccess), typeof(RequireMayChangeUser)]
        );

    public void Register(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddHostedService<SalePointLapses>();
        services.ConfigureMarten(opts =>
        {
            opts.Projections.Snapshot<Location>(SnapshotLifecycle.Inline);
            opts.Schema.For<Location>()
                .DatabaseSchemaName(Schema)
                .MultiTenanted()
                .Duplicate(l => l.Kind)
                .UniqueIndex(UniqueIndexType.Computed, "ux_locations_code", TenancyScope.PerTenant, l => l.CodeKey);
            opts.Projections.Snapshot<UserLocations>(SnapshotLifecycle.Inline);
            opts.Schema.For<UserLocations>()
                .DatabaseSchemaName(Schema)
                .MultiTenanted()
                .Duplicate(u => u.UserId)
                .Duplicate(u => u.TakesFutureSalePoints)
                .Duplicate(u => u.TakesFutureStores)
                .Duplicate(u => u.NextLapse);
        });
    }
}
