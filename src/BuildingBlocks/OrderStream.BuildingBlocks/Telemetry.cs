using System.Diagnostics.Metrics;

namespace OrderStream.BuildingBlocks;

/// <summary>
/// The service's own metrics (meter <c>OrderStream</c>), exported with the runtime's and ASP.NET Core's over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (issue #22). An instrument no one listens to costs nothing.
/// </summary>
public static class Telemetry
{
    public const string MeterName = "OrderStream";
    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Decisions = Meter.CreateCounter<long>(
        "orderstream.decisions",
        description: "Authorization decisions answered"
    );

    public static readonly Histogram<double> EngineLoads = Meter.CreateHistogram<double>(
        "orderstream.engine.load.duration",
        "ms",
        "Time to load a tenant into the decision engine"
    );

    public static readonly Counter<long> EngineReloads = Meter.CreateCounter<long>(
        "orderstream.engine.reloads",
        description: "Reloads of stale entries of a tenant in the decision engine"
    );

    public static readonly Counter<long> EventsDelivered = Meter.CreateCounter<long>(
        "orderstream.events.delivered",
        description: "Integration events handed to a module"
    );

    public static readonly Counter<long> EventsSetAside = Meter.CreateCounter<long>(
        "orderstream.events.set_aside",
        description: "Integration events set aside after their handler failed"
    );

    public static readonly Counter<long> DeliveryWaits = Meter.CreateCounter<long>(
        "orderstream.events.delivery_waits",
        description: "Times delivery waited for the database to answer"
    );

    public static readonly Histogram<double> DeliveryDelay = Meter.CreateHistogram<double>(
        "orderstream.events.delivery.delay",
        "ms",
        "Time from an integration event's commit to its delivery to the other modules"
    );

    public static readonly Counter<long> RequestsShed = Meter.CreateCounter<long>(
        "orderstream.requests.unavailable",
        description: "Requests answered 503 because the database did not answer or no pooled connection came free"
    );

    private static readonly List<WeakReference<Persistence.CommittedStreams>> Listeners = [];

    /// <summary>
    /// Seconds an instance's decision engine has not heard other instances' commits (0 while it hears them), one
    /// measurement per listener in this process (tests run several hosts in one).
    /// </summary>
    public static readonly ObservableGauge<double> EngineStaleness = Meter.CreateObservableGauge(
        "orderstream.engine.staleness",
        () =>
        {
            lock (Listeners)
                return Listeners
                    .Select(l => l.TryGetTarget(out var streams) ? streams.DeafSince : (DateTimeOffset?)null)
                    .Select(since => new Measurement<double>(
                        since is { } s ? (DateTimeOffset.UtcNow - s).TotalSeconds : 0
                    ))
                    .ToList();
        },
        "s",
        "How long the decision engine has not heard other instances' commits"
    );

    internal static void ObserveEngineStaleness(Persistence.CommittedStreams streams)
    {
        lock (Listeners)
        {
            Listeners.RemoveAll(l => !l.TryGetTarget(out _));
            Listeners.Add(new WeakReference<Persistence.CommittedStreams>(streams));
        }
    }

    public static readonly Counter<long> Lockouts = Meter.CreateCounter<long>(
        "orderstream.logins.lockouts",
        description: "Login codes locked after repeated failures"
    );
}
