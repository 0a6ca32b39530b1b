using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrderStream.BuildingBlocks.Mail;
using OrderStream.BuildingBlocks.Modules;
using OrderStream.Modules.Billing.Contracts;
using OrderStream.Modules.Identity.Authentication;
using OrderStream.Modules.Identity.OnlineStores;
using OrderStream.Modules.Identity.Preferences;
using OrderStream.Modules.Identity.Users;
using OrderStream.Modules.Roles.Contracts;
using OrderStream.Modules.SalePoints.Contracts;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;
using Published = OrderStream.Modules.Identity.Contracts;

namespace OrderStream.Modules.Identity;

/// <summary>Registers the Identity module: its documents in schema "identity" and its services.</summary>
public sealed class IdentityModule : IModule
{
    public const string Schema = "identity";

    /// <summary>Managing users needs either of these secure features (PRODUCT.md).</summary>
    internal static readonly string[] ManageUsers =
    [
        SecureFeatureCodes.BackOfficeUsers,
        SecureFeatureCodes.MaintainEmployeeData,
    ];

    /// <summary>
    /// Publishes users' lifecycle; consumes Sale Points' locations for the user list; asks Roles to give roles and to
    /// judge who may change whom, Sale Points to give locations and for the POS login, Billing whether a license lets a
    /// user in.
    /// </summary>
    public ModuleFlows Flows { get; } =
        new(
            Publishes:
            [
                typeof(Published.UserCreated),
                typeof(Published.UserRenamed),
                typeof(Published.UserTypeChanged),
                typeof(Published.UserDeactivated),
                typeof(Published.UserReactivated),
            ],
            Consumes: [typeof(UserLocationsChanged), typeof(LocationUpdated), typeof(LocationStatusChanged)],
            Asks:
            [
                typeof(ChangeUserRights),
                typeof(ListRoles),
                typeof(RequireMayChangeUser),
                typeof(LoadUsersForDecisions),
                typeof(ChangeUserLocations),
                typeof(GetLocations),
                typeof(GetPosAccess),
                typeof(CheckWebOfficeLicense),
            ]
        );

    public void Register(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(
            new CredentialHasher(
                configuration.GetValue("Security:HashIterations", CredentialHasher.DefaultIterations),
                configuration.GetValue("Security:PinHashIterations", CredentialHasher.DefaultPinIterations)
            )
        );
        services.TryAddSingleton(configuration.GetSection("Mail").Get<MailSettings>() ?? new MailSettings());
        if (configuration.GetValue("Mail:Send", true))
            services.AddHostedService<PasswordResetMailSender>();
        services.ConfigureMarten(
            (sp, opts) =>
            {
                opts.Storage.ExtendedSchemaObjects.Add(new Extension("pg_trgm"));
                opts.Projections.Snapshot<User>(SnapshotLifecycle.Inline);
                opts.Schema.For<User>()
                    .DatabaseSchemaName(Schema)
                    .MultiTenanted()
                    .Duplicate(u => u.LoginKey)
                    .UniqueIndex(UniqueIndexType.Computed, "ux_users_email", TenancyScope.PerTenant, u => u.EmailKey!)
                    .UniqueIndex(UniqueIndexType.DuplicatedField, "ux_users_logincode", TenancyScope.PerTenant, u =>
                        u.LoginKey
                    )
                    .UniqueIndex(UniqueIndexType.Computed, "ux_users_salespersonid", TenancyScope.PerTenant, u =>
                        u.SalespersonKey!
                    );
                opts.Projections.Add<UserListProjection>(ProjectionLifecycle.Inline);
                opts.Schema.For<UserListEntry>()
                    .DatabaseSchemaName(Schema)
                    .MultiTenanted()
                    .Duplicate(u => u.IsActive)
                    .Duplicate(u => u.SortName)
                    .Duplicate(u => u.CreatedAt)
                    .Duplicate(u => u.Type!)
                    .Duplicate(u => u.LoginKey)
                    .Duplicate(
                        u => u.SearchText,
                        configure: i =>
                        {
                            i.Method = IndexMethod.gin;
                            i.Mask = "? gin_trgm_ops";
                        }
                    )
                    // The list counts and pages by status in name order from this index alone (ADR 0024).
                    .Index([u => u.IsActive, u => u.SortName, u => u.Id], i =>
                    {
                        i.Name = "ix_userlist_status_name";
                        i.TenancyScope = TenancyScope.PerTenant;
                    })
                    // Counting a page's matches reads this small index instead of the table (ADR 0024).
                    .Index([u => u.IsActive], i =>
                    {
                        i.Name = "ix_userlist_status_count";
                        i.TenancyScope = TenancyScope.PerTenant;
                        i.IncludeColumns = ["search_text", "type"];
                    });
                opts.Schema.For<UserLocationIndex>()
                    .DatabaseSchemaName(Schema)
                    .MultiTenanted()
                    .DocumentAlias("user_location_index");
                // After the user list's projection: a rename's row is written before the filter table follows it.
                opts.Projections.Add(new UserSalePointsTable(), ProjectionLifecycle.Inline);
                opts.Storage.ExtendedSchemaObjects.Add(UserSalePointsTable.Define());
                opts.Schema.For<KnownLocation>().DatabaseSchemaName(Schema).MultiTenanted();
                opts.Projections.Snapshot<OnlineStore>(SnapshotLifecycle.Inline);
                opts.Schema.For<OnlineStore>()
                    .DatabaseSchemaName(Schema)
                    .MultiTenanted()
                    .UniqueIndex(UniqueIndexType.Computed, "ux_onlinestores_code", TenancyScope.PerTenant, s =>
                        s.CodeKey
                    );
                opts.Projections.Snapshot<LoginGuard>(SnapshotLifecycle.Inline);
                opts.Schema.For<LoginGuard>().DatabaseSchemaName(Schema).MultiTenanted();
                opts.Schema.For<UserCredentials>().DatabaseSchemaName(Schema).MultiTenanted();
                opts.Schema.For<PasswordResetMail>().DatabaseSchemaName(Schema).MultiTenanted();
                opts.Schema.For<PasswordResetToken>()
                    .DatabaseSchemaName(Schema)
                    .MultiTenanted()
                    .Duplicate(t => t.TokenHash);
                opts.Schema.For<UserListPreferences>().DatabaseSchemaName(Schema).MultiTenanted();
            }
        );
    }
}
