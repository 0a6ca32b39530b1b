using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Carter;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrderStream.BuildingBlocks;
using OrderStream.BuildingBlocks.Errors;
using OrderStream.BuildingBlocks.Events;
using OrderStream.BuildingBlocks.Modules;
using OrderStream.BuildingBlocks.Persistence;
using OrderStream.BuildingBlocks.Security;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.Web;
using OrderStream.Host;

var bootstrap = args.Length > 0 && args[0] == "bootstrap";

// The content root is the service's own folder wherever it is started from: appsettings.json is read from there.
var builder = WebApplication.CreateBuilder(
    new WebApplicationOptions { Args = bootstrap ? args[1..] : args, ContentRootPath = AppContext.BaseDirectory }
);

builder.Services.AddModules(builder.Configuration, builder.Environment, Modules.Assemblies);
builder.Services.AddOrderStreamMarten(builder.Configuration);
builder.Services.Configure<JsonOptions>(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    o.SerializerOptions.Converters.Add(new UtcInstantConverter());
});
builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<NonEmptyGuidRouteConstraint>("guid"));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();

// Bodies are small JSON; endpoints that take more say so (BodyLimit): the import, bulk changes, many checks at once.
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = BodyLimit.Default);

var jwt = JwtSettings.From(builder.Configuration, builder.Environment);
builder.Services.AddSingleton(jwt);
builder.Services.AddSingleton<TokenIssuer>();
builder.Services.AddSingleton<BearerTokens>();
builder.Services.AddSingleton<SessionCookie>();
builder
    .Services.AddAuthentication(BearerTokens.Scheme)
    .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokens.Scheme, null);
builder.Services.AddAuthorization();
builder.Services.AddRateLimiter(o =>
{
    // Per client address, on top of the per-user lockout: slows guessing across many login codes.
    var permits = builder.Configuration.GetValue("RateLimiting:LoginPermitsPerMinute", 30);
    o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    o.AddPolicy("login", http =>
        RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1) }
        )
    );
    o.OnRejected = async (context, ct) =>
    {
        context.HttpContext.Response.Headers.RetryAfter = "60";
        await context
            .HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(
                new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = 429,
                        Title = "Too many requests",
                        Detail = "Too many login attempts from this address. Wait a minute.",
                    },
                }
            );
    };
});
builder.Services.AddOpenApi(o =>
{
    o.CreateSchemaReferenceId = OpenApiSchemas.ReferenceId;
    o.AddSchemaTransformer(OpenApiSchemas.Instants);
    o.AddSchemaTransformer(OpenApiSchemas.Tighten);
    o.AddOperationTransformer(OpenApiOperations.DescribeOperation);
    o.AddDocumentTransformer(OpenApiOperations.DescribeService);
});

// Traces and metrics: ASP.NET Core's, HttpClient's, the runtime's, Npgsql's and the service's own (Telemetry), sent
// over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT says where; without it nothing listens, and nothing costs.
if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
    builder
        .Services.AddOpenTelemetry()
        .ConfigureResource(r => r.AddService("orderstream"))
        .WithTracing(t => t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsql().AddOtlpExporter())
        .WithMetrics(m =>
            m.AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql", Telemetry.MeterName)
                .AddOtlpExporter()
        );
builder
    .Services.AddHealthChecks()
    .AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"])
    .AddCheck<SetAsideEvents>("events-set-aside", tags: ["ready"])
    .AddCheck<DeliveryLag>("event-delivery", tags: ["ready"]);

var app = builder.Build();

if (bootstrap)
{
    return await Bootstrap.RunAsync(app.Services, builder.Configuration, args[1..]);
}

app.UseMiddleware<Correlation>();
app.UseMiddleware<SecurityHeaders>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RetryReadOnLostConnection>();
app.UseMiddleware<RequestGuard>();
app.UseAuthentication();
app.UseMiddleware<SessionAntiforgery>();
app.UseMiddleware<TenancyMiddleware>();
app.UseRateLimiter();
app.UseAuthorization();

if (ApiReference.Enabled(builder.Configuration, builder.Environment.EnvironmentName))
    ApiReference.Map(app);
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks(
    "/health/ready",
    new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = ReadinessAnswer.WriteAsync }
);
app.MapGroup("").AddEndpointFilterFactory(UtcInstants.Filter).MapCarter();

// The admin console (ADR 0027): its files, and its page for every address that is not the API's (whose unknown
// addresses stay 404, and whose endpoints' own refusals, such as 415, must not lose to a fallback).
app.MapStaticAssets();
app.MapFallbackToFile("/", "index.html");
app.MapFallbackToFile("{*path:regex(^(?!(api|health|openapi|scalar)(/|$)).*$)}", "index.html");

await app.RunAsync();
return 0;

internal sealed class PostgresHealthCheck(NpgsqlDataSource db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var command = db.CreateCommand("select 1");
            await command.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        // Every pooled connection busy is not a database that is down: a load balancer should keep this instance.
        catch (NpgsqlException e) when (e.Message.Contains("pool has been exhausted", StringComparison.Ordinal))
        {
            return HealthCheckResult.Degraded("Saturated: every pooled connection is in use.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not answer.");
        }
    }
}

public partial class Program;
