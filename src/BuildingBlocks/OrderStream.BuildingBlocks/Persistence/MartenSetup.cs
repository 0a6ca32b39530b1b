using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.MultiTenancy;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderStream.BuildingBlocks.Events;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.Web;
using Weasel.Core;

namespace OrderStream.BuildingBlocks.Persistence;

public static class MartenSetup
{
    public const string EventsSchema = "events";
    public const string PlatformSchema = "platform";

    /// <summary>
    /// The one Marten store of the service (ADR 0003): one event store with conjoined tenancy, documents in a schema
    /// per module (each module adds its own with <c>services.ConfigureMarten</c>), sessions opened for the request's
    /// tenant.
    /// </summary>
    public static void AddOrderStreamMarten(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured.");
        // A request waits at most 5 s for a pooled connection (Npgsql's default is 15), then answers 503: a saturated
        // instance sheds load early instead of queueing it (issue #22). A Timeout in the connection string wins.
        if (!new NpgsqlConnectionStringBuilder(connectionString).ContainsKey("Timeout"))
            connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 }.ConnectionString;
        // No session state is ever set on a connection, so the pool's DISCARD ALL on every checkout is pure cost; and
        // the same few statements run all day, so preparing them once per connection spares PostgreSQL the parsing and
        // planning (ADR 0003).
        var dataSource = new NpgsqlDataSourceBuilder(
            new NpgsqlConnectionStringBuilder(connectionString)
            {
                NoResetOnClose = true,
                MaxAutoPrepare = 200,
                AutoPrepareMinUsages = 2,
            }.ConnectionString
        ).Build();
        // Registered through factories so that the container disposes them, and their pooled connections, with the host
        // (an instance handed over is never disposed: test hosts would each leave a pool open until the process ends).
        services.AddSingleton(_ => dataSource);
        var search = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        search.Options = $"{search.Options} -c plan_cache_mode=force_custom_plan".Trim();
        services.AddSingleton(_ => new SearchDatabase(search.ConnectionString));
        services.AddSingleton<CommittedStreams>();
        services.AddHostedService<CommitNotificationListener>();

        var marten = services
            .AddMarten(opts =>
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
                // Transaction-scoped advisory lock: without it the daemon's leader lock never takes (ADR 0001).
                opts.Events.UseAdvisoryLockTransaction = true;
                opts.Schema.For<Tenant>().DatabaseSchemaName(PlatformSchema);
                opts.Schema.For<UndeliveredIntegrationEvent>().DatabaseSchemaName(PlatformSchema);
                opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            })
            .UseLightweightSessions()
            .BuildSessionsWith<TenantSessionFactory>(ServiceLifetime.Scoped)
            .ApplyAllDatabaseChangesOnStartup();

        services.ConfigureMarten(
            (sp, opts) =>
            {
                opts.Listeners.Add(sp.GetRequiredService<CommittedStreams>());
                opts.Projections.Wakeup = new CommitWakeup(sp.GetRequiredService<CommittedStreams>());
                opts.Logger(
                    new RedactedMartenLogger(
                        sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("Marten")
                    )
                );
                // Events are stamped by the service's clock, the one its rules use: time travel (asOf) and the audit
                // log then agree with the instants the events carry, and tests on a fake clock can ask about the past.
                opts.Events.TimeProvider = sp.GetRequiredService<TimeProvider>();
            }
        );

        // Delivery can be switched off to stand for a process that died between commit and hand-over (see the tests).
        if (configuration.GetValue("IntegrationEvents:Deliver", true))
        {
            marten.AddAsyncDaemon(DaemonMode.HotCold);
            marten.AddSubscriptionWithServices<IntegrationEventSubscription>(ServiceLifetime.Singleton);
            services.AddHostedService<DeliverySupervisor>();
        }
        services.AddSingleton<SetAsideEvents>();
    }
}

/// <summary>
/// Sessions for the tenant of the scope, stamped with actor and correlation id so every event says who and why.
/// </summary>
internal sealed class TenantSessionFactory(IDocumentStore store, TenantContext tenant, ActorContext actor)
    : ISessionFactory
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

/// <summary>
/// Connections for searches whose best plan depends on the values (a term matching ten users or all of them, optional
/// filters): every execution is planned for its own values (plan_cache_mode=force_custom_plan). A prepared statement
/// falls back to a generic plan after five runs, and for <c>LIKE $1</c> that plan guesses 500 matches whatever the term
/// (three times slower for a term matching everyone, ADR 0024). Writes keep the main connections, whose cached plans
/// (also inside Marten's functions) spare the planning on every insert. Run Marten-built SQL here with
/// <c>IQueryable.ToCommand</c>.
/// </summary>
public sealed class SearchDatabase(string connectionString) : IDisposable
{
    public NpgsqlDataSource Db { get; } = NpgsqlDataSource.Create(connectionString);

    public void Dispose() => Db.Dispose();
}
