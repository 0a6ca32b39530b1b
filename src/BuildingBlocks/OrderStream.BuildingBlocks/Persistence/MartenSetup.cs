using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.MultiTenancy;
using Marten;
using Weasel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderStream.BuildingBlocks.Events;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.Web;

namespace OrderStream.BuildingBlocks.Persistence;

public static class MartenSetup
{
    public const string EventsSchema = "events";
    public const string PlatformSchema = "platform";

    /// <summary>
    /// The one Marten store of the service (ADR 0003): one event store with conjoined tenancy, documents in a schema per
    /// module (each module adds its own with <c>services.ConfigureMarten</c>), sessions opened for the request's tenant.
    /// </summary>
    public static void AddOrderStreamMarten(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured.");
        // No session state is ever set on a connection, so the pool's DISCARD ALL on every checkout is pure cost; and the same few
        // statements run all day, so preparing them once per connection spares PostgreSQL the parsing (ADR 0003). Each execution
        // is still planned for its own values: a generic plan cannot tell a search matching every user from one matching ten
        // (measured: 60-76 ms instead of 18 for a term matching 100,000 users), nor an unused optional audit filter.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true, MaxAutoPrepare = 200, AutoPrepareMinUsages = 2 };
        builder.Options = $"{builder.Options} -c plan_cache_mode=force_custom_plan".Trim();
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        services.AddSingleton(dataSource);
        services.AddSingleton<CommittedStreams>();
        services.AddHostedService<CommitNotificationListener>();

        var marten = services.AddMarten(opts =>
            {
                opts.Connection(dataSource);
                // Enums as their names: the audit log shows "AccountExecutive", not 2.
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                opts.DatabaseSchemaName = PlatformSchema;
                opts.Events.DatabaseSchemaName = EventsSchema;
                opts.Events.TenancyStyle = TenancyStyle.Conjoined;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;
                opts.Events.MetadataConfig.UserNameEnabled = true;
                // Transaction-scoped advisory lock: the daemon's leader election then works with the DistributedLock shim (ADR 0001).
                opts.Events.UseAdvisoryLockTransaction = true;
                opts.Schema.For<Tenant>().DatabaseSchemaName(PlatformSchema);
                opts.Schema.For<UndeliveredIntegrationEvent>().DatabaseSchemaName(PlatformSchema);
                opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            })
            .UseLightweightSessions()
            .BuildSessionsWith<TenantSessionFactory>(ServiceLifetime.Scoped)
            .ApplyAllDatabaseChangesOnStartup();

        services.ConfigureMarten((sp, opts) => opts.Listeners.Add(sp.GetRequiredService<CommittedStreams>()));

        // Delivery can be switched off to stand for a process that died between commit and hand-over (see the tests).
        if (configuration.GetValue("IntegrationEvents:Deliver", true))
        {
            marten.AddAsyncDaemon(DaemonMode.HotCold);
            marten.AddSubscriptionWithServices<IntegrationEventSubscription>(ServiceLifetime.Singleton);
        }
    }
}

/// <summary>Sessions for the tenant of the scope, stamped with actor and correlation id so every event says who and why.</summary>
public sealed class TenantSessionFactory(IDocumentStore store, TenantContext tenant, ActorContext actor) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession(tenant.Tenant);

    public IDocumentSession OpenSession()
    {
        var session = store.LightweightSession(tenant.Tenant);
        session.CorrelationId = actor.CorrelationId;
        session.CausationId = actor.CausationId;
        session.LastModifiedBy = actor.Actor;
        return session;
    }
}
