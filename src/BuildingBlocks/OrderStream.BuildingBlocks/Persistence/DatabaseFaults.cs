using Npgsql;

namespace OrderStream.BuildingBlocks.Persistence;

public static class DatabaseFaults
{
    /// <summary>
    /// Whether PostgreSQL did not answer (down, restarting, refusing or out of connections, timed out): a reason to
    /// wait and try again (503 to a client, a pause to event delivery), never to give up or to blame the request.
    /// </summary>
    public static bool IsUnavailable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            switch (x)
            {
                case PostgresException p:
                    return p.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || p.SqlState is "57P01" or "57P02" or "57P03" or "53300" or "53400";
                case NpgsqlException { IsTransient: true }:
                case System.Net.Sockets.SocketException:
                case TimeoutException:
                    return true;
            }
        return false;
    }
}
