using JasperFx.Events.Projections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrderStream.BuildingBlocks.Mail;
using OrderStream.BuildingBlocks.Modules;
using OrderStream.Modules.Billing.Accounts;
using OrderStream.Modules.Billing.Licenses;
using OrderStream.Modules.Billing.Settings;
using OrderStream.Modules.Billing.Statements;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Billing;

/// <summary>Registers the Billing module: its documents in schema "billing".</summary>
public sealed class BillingModule : IModule
{
    public const string Schema = "billing";

    /// <summary>Reading statements and managing billing; the Roles issue maps these onto the catalogue.</summary>
    internal static readonly string[] ViewBilling = [SecureFeatureCodes.ViewBilling, SecureFeatureCodes.ManageBilling];
    internal static readonly string[] ManageBilling = [SecureFeatureCodes.ManageBilling];

    /// <summary>Consumes users' lifecycle into its accounts; asks Identity for users' facts and last logins.</summary>
    public ModuleFlows Flows { get; } =
        new(
            Publishes: [],
            Consumes: [typeof(UserCreated), typeof(UserRenamed), typeof(UserDeactivated), typeof(UserReactivated)],
            Asks: [typeof(GetUserAccessFacts), typeof(GetLastLogins)]
        );

    public void Register(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton<BillingAccountsCache>();
        services.TryAddSingleton(configuration.GetSection("Mail").Get<MailSettings>() ?? new MailSettings());
        if (configuration.GetValue("Mail:Send", true))
            services.AddHostedService<LicenseMailSender>();
        services.AddHostedService<BillingCacheWarmUp>();
        services.ConfigureMarten(opts =>
        {
            opts.Listeners.Add(new BillingRevisionListener());
            opts.Storage.ExtendedSchemaObjects.Add(BillingRevisions.Revisions);
            opts.Storage.ExtendedSchemaObjects.Add(BillingRevisions.Accounts);
            opts.Projections.Snapshot<BillingAccount>(SnapshotLifecycle.Inline);
            opts.Schema.For<BillingAccount>().DatabaseSchemaName(Schema).MultiTenanted();
            opts.Projections.Snapshot<BillingSettings>(SnapshotLifecycle.Inline);
            opts.Schema.For<BillingSettings>().DatabaseSchemaName(Schema).MultiTenanted();
            opts.Schema.For<ClosedStatement>().DatabaseSchemaName(Schema).MultiTenanted();
            opts.Projections.Snapshot<LicensePool>(SnapshotLifecycle.Inline);
            opts.Schema.For<LicensePool>().DatabaseSchemaName(Schema).MultiTenanted();
            opts.Schema.For<OutboxMail>().DatabaseSchemaName(Schema).MultiTenanted().Duplicate(m => m.NextAttemptAt);
        });
    }
}
