using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OrderStream.FaultTests;

/// <summary>
/// A throwaway PostgreSQL cluster of one test's own, as <c>.ci/pg.sh</c> makes them (the machine's PostgreSQL, run as
/// the <c>postgres</c> user when the tests run as root), which the test may stop and start.
/// </summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly int _port;

    private OwnPostgres(string bin, string root, int port) => (_bin, _root, _port) = (bin, root, port);

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    public static async Task<OwnPostgres> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("PGBIN")
            ?? Directory
                .GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .OrderBy(d => int.Parse(Path.GetFileName(Path.GetDirectoryName(d))!))
                .Last();
        var root = Directory.CreateTempSubdirectory("pg-fault-").FullName;
        var pg = new OwnPostgres(bin, root, FreePort());
        if (Environment.UserName == "root")
            await pg.RunAsync("chown", $"postgres:postgres {root}", asPostgres: false);
        await pg.RunAsync(Path.Combine(bin, "initdb"), $"-D {root}/data -U postgres -A trust -E UTF8 --no-locale");
        await pg.StartAgainAsync();
        return pg;
    }

    /// <summary>A port nothing listens on now: for a cluster, or a service process, of a test's own.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>A fast shutdown, as an operator's restart or a crash of the server process looks to clients.</summary>
    public Task StopAsync() => RunAsync(Path.Combine(_bin, "pg_ctl"), $"-D {_root}/data -m fast -w stop");

    public async Task StartAgainAsync()
    {
        await RunAsync(
            Path.Combine(_bin, "pg_ctl"),
            $"-D {_root}/data -l {_root}/server.log -w -t 60 start -o \"-p {_port} -k {_root} "
                + "-c listen_addresses=127.0.0.1 -c max_connections=200\""
        );
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
    }

    private async Task RunAsync(string program, string arguments, bool asPostgres = true)
    {
        var root = Environment.UserName == "root";
        var start =
            asPostgres && root
                ? new ProcessStartInfo("su", ["postgres", "-s", "/bin/sh", "-c", $"'{program}' {arguments}"])
                : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {arguments}: {await output}{await error}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException) { } // already stopped
        Directory.Delete(_root, recursive: true);
    }
}
