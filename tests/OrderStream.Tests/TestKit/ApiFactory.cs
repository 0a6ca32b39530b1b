using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OrderStream.Host;

namespace OrderStream.Tests.TestKit;

/// <summary>
/// The real service over HTTP against a real PostgreSQL: each factory gets a database of its own (created from
/// ORDERSTREAM_TEST_PG), so test classes run in parallel without seeing each other. Time is a fake clock tests can
/// move.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public string ConnectionString { get; }
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public ApiFactory()
        : this(null, null) { }

    internal ApiFactory(
        string? connectionString,
        Dictionary<string, string?>? settings,
        Action<IServiceCollection>? services = null
    )
    {
        ConnectionString = connectionString ?? Database.Create();
        _settings = settings ?? [];
        _services = services;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Postgres", ConnectionString);
        // Fewer hash rounds keep the suite fast; the hashing itself is the same code (its cost is measured apart).
        builder.UseSetting("Security:HashIterations", "1000");
        builder.UseSetting("Security:PinHashIterations", "500");
        builder.UseSetting("RateLimiting:LoginPermitsPerMinute", "100000");
        // Mail goes to the MailDev that test.sh starts (MAIL_SMTP_PORT); the outbox is polled often so tests need not
        // wait.
        builder.UseSetting("Mail:Port", Environment.GetEnvironmentVariable("MAIL_SMTP_PORT") ?? "1025");
        builder.UseSetting("Mail:PollMilliseconds", "100");
        builder.UseSetting("TimeBoxes:PollMilliseconds", "100");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddTransient<IStartupFilter, ClientAddressFilter>();
            _services?.Invoke(services);
        });
    }

    /// <summary>
    /// With minimal hosting, the app's own <c>RunAsync</c> also stops and disposes the host when the factory stops it,
    /// and the two race (dotnet/aspnetcore#40271): now and then a background service is asked to stop after it was
    /// disposed, and its already disposed token source throws. That is the test host's teardown, not the service's: it
    /// is not a failure.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        catch (ObjectDisposedException) { }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is ObjectDisposedException)) { }
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Creates a tenant with the bootstrap command, as the operator would, and returns its administrator's client.
    /// </summary>
    public async Task<TenantClient> CreateTenantAsync(string? code = null)
    {
        code ??= "t" + Guid.NewGuid().ToString("N")[..10];
        var exit = await Bootstrap.RunAsync(
            Services,
            Services.GetRequiredService<IConfiguration>(),
            [
                "--tenant",
                code,
                "--name",
                $"Tenant {code}",
                "--time-zone",
                "Europe/Vienna",
                "--currency",
                "EUR",
                "--admin-login",
                "admin",
                "--admin-password",
                TenantClient.AdminPassword,
            ]
        );
        if (exit != 0)
            throw new InvalidOperationException($"bootstrap failed with {exit}");
        var client = new TenantClient(CreateClient(), code);
        await client.LogInAsync("admin", TenantClient.AdminPassword);
        return client;
    }
}

/// <summary>
/// The test server has no socket, so no client address: a request says which address it comes from in the header
/// <c>X-Test-Client-Address</c> (e.g. to try logins from several places).
/// </summary>
internal sealed class ClientAddressFilter : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
        app =>
        {
            app.Use(
                (http, nextMiddleware) =>
                {
                    if (System.Net.IPAddress.TryParse(http.Request.Headers[Header].ToString(), out var address))
                        http.Connection.RemoteIpAddress = address;
                    return nextMiddleware(http);
                }
            );
            next(app);
        };
}

public static class Database
{
    public static string Server =>
        Environment.GetEnvironmentVariable("ORDERSTREAM_TEST_PG")
        ?? throw new InvalidOperationException(
            "ORDERSTREAM_TEST_PG is not set: run the tests with `bash test.sh` (see README)."
        );

    public static string Create()
    {
        var name = "os_" + Guid.NewGuid().ToString("N")[..16];
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var command = new NpgsqlCommand($"create database {name}", connection);
        command.ExecuteNonQuery();
        return new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;
    }
}

/// <summary>An HTTP client for one tenant's routes, logged in as someone.</summary>
public sealed class TenantClient(HttpClient http, string tenant)
{
    public const string AdminPassword = "admin-password-1";
    public HttpClient Http { get; } = http;
    public string Tenant { get; } = tenant;
    public string? UserId { get; private set; }

    public string Url(string path) => $"/api/tenants/{Tenant}/{path.TrimStart('/')}";

    public async Task LogInAsync(string loginCode, string password)
    {
        var response = await Http.PostAsJsonAsync(Url("auth/login"), new { loginCode, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body!["token"]!);
        UserId = (string)body["userId"]!;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(Url(path));

    public Task<HttpResponseMessage> PostAsync(string path, object? body) => Http.PostAsJsonAsync(Url(path), body);

    public Task<HttpResponseMessage> PutAsync(string path, object body) => Http.PutAsJsonAsync(Url(path), body);

    public async Task<HttpResponseMessage> PutAsync(string path, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Url(path)) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> DeleteAsync(string path) => Http.DeleteAsync(Url(path));

    /// <summary>A role's body for POST/PUT /roles: a name and its grants (feature code, optional qualifier).</summary>
    public static object RoleBody(string name, params (string Code, int? Qualifier)[] grants) =>
        new
        {
            name,
            description = $"{name} role",
            grants = grants.Select(g => new { featureCode = g.Code, qualifier = g.Qualifier }).ToArray(),
        };

    /// <summary>
    /// The id of one of the tenant's roles, by name (the default roles are seeded by the bootstrap command).
    /// </summary>
    public async Task<string> RoleIdAsync(string name)
    {
        var roles = await (await GetAsync("roles")).ReadAsync();
        return (string)roles["items"]!.AsArray().Single(r => (string)r!["name"]! == name)!["id"]!;
    }

    /// <summary>Gives a user one of the tenant's roles by name; fails the test when refused.</summary>
    public async Task GiveRoleAsync(string userId, string role)
    {
        var response = await Http.PutAsync(Url($"users/{userId}/roles/{await RoleIdAsync(role)}"), null);
        if (!response.IsSuccessStatusCode)
            throw new Xunit.Sdk.XunitException(
                $"give role: {response.StatusCode} {await response.Content.ReadAsStringAsync()}"
            );
    }

    /// <summary>
    /// Creates a user and returns its JSON; fails the test with the answer's body when it was not created.
    /// </summary>
    public async Task<JsonObject> CreateUserAsync(object body)
    {
        var response = await PostAsync("users", body);
        var json = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
            throw new Xunit.Sdk.XunitException($"create user: {response.StatusCode} {json}");
        return JsonNode.Parse(json)!.AsObject();
    }

    public static object NewUser(
        string first = "Eva",
        string last = "Berger",
        string? login = null,
        string? email = null,
        string? password = null,
        string? type = null
    ) =>
        new
        {
            firstName = first,
            lastName = last,
            loginCode = login ?? "u" + Guid.NewGuid().ToString("N")[..8],
            email,
            password,
            type,
        };
}

public static class Json
{
    public static async Task<JsonObject> ReadAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>The problem details' field errors, by JSON field name.</summary>
    public static async Task<Dictionary<string, string[]>> ErrorsAsync(this HttpResponseMessage response)
    {
        var body = await response.ReadAsync();
        return body["errors"]?.Deserialize<Dictionary<string, string[]>>() ?? [];
    }
}
