using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderStream.BuildingBlocks.Modules;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Catalogue;
using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.Roles.Decisions;
using OrderStream.Modules.Roles.Grants;
using OrderStream.Modules.Roles.Roles;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Roles;

/// <summary>
/// Registers the Roles &amp; Secure Features module: the catalogue, its documents in schema "roles", the decision
/// engine.
/// </summary>
public sealed class RolesModule : IModule
{
    public const string Schema = "roles";

    internal const string MaintainRoles = SecureFeatureCodes.MaintainUserRoles;
    internal const string BackOfficeUsers = SecureFeatureCodes.BackOfficeUsers;
    internal const string CheckAuthorization = SecureFeatureCodes.CheckAuthorization;
    internal const string SystemManager = SecureFeatureCodes.SystemManager;

    /// <summary>
    /// Publishes and consumes no events; asks Identity for users' facts and Sale Points for places and assignments.
    /// </summary>
    public ModuleFlows Flows { get; } =
        new(
            Publishes: [],
            Consumes: [],
            Asks: [typeof(GetUserAccessFacts), typeof(GetLocations), typeof(GetUserLocations)]
        );

    public void Register(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<FeatureCatalogue>();
        services.AddSingleton<AccessEngine>();
        services.AddScoped<RoleGrants>();
        services.AddScoped<BuildingBlocks.Web.IFeatureDecider, EngineDecider>();
        services.AddHostedService<GrantLapses>();
        services.AddSingleton<EngineWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineWarmUp>());
        services.AddHealthChecks().AddCheck<EngineWarmUp>("decision-engine", tags: ["ready"]);
        services.ConfigureMarten(opts =>
        {
            opts.Projections.Snapshot<Role>(SnapshotLifecycle.Inline);
            opts.Schema.For<Role>()
                .DatabaseSchemaName(Schema)
                .MultiTenanted()
                .UniqueIndex(UniqueIndexType.Computed, "ux_roles_name", TenancyScope.PerTenant, r => r.NameKey!);
            opts.Projections.Snapshot<UserAccess>(SnapshotLifecycle.Inline);
            opts.Schema.For<UserAccess>().DatabaseSchemaName(Schema).MultiTenanted().Duplicate(u => u.NextLapse);
            opts.Projections.Snapshot<Settings.AccessSettings>(SnapshotLifecycle.Inline);
            opts.Schema.For<Settings.AccessSettings>().DatabaseSchemaName(Schema).MultiTenanted();
            opts.Projections.Snapshot<Settings.FeatureSettings>(SnapshotLifecycle.Inline);
            opts.Schema.For<Settings.FeatureSettings>().DatabaseSchemaName(Schema).MultiTenanted();
            opts.Projections.Snapshot<FeatureTiers>(SnapshotLifecycle.Inline);
            opts.Schema.For<FeatureTiers>().DatabaseSchemaName(Schema).MultiTenanted();
            opts.Projections.Snapshot<CustomFeature>(SnapshotLifecycle.Inline);
            opts.Schema.For<CustomFeature>()
                .DatabaseSchemaName(Schema)
                .MultiTenanted()
                .UniqueIndex(UniqueIndexType.Computed, "ux_customfeatures_code", TenancyScope.PerTenant, f => f.Code);
        });
    }
}
