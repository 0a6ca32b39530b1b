using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderStream.BuildingBlocks.Persistence;

namespace OrderStream.BuildingBlocks.Web;

/// <summary>
/// A restart of PostgreSQL kills the pooled connections that sit idle, and the pool hands them out all the same: the
/// first reads after it failed (issue #22). A read that fails so, before anything was answered, empties both pools and
/// runs once more; a write is never run twice.
/// </summary>
public sealed class RetryReadOnLostConnection(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            await next(http);
            return;
        }
        try
        {
            await next(http);
        }
        catch (Exception e)
            when (DatabaseFaults.IsUnavailable(e)
                && !http.Response.HasStarted
                && !http.RequestAborted.IsCancellationRequested
            )
        {
            http.RequestServices.GetRequiredService<NpgsqlDataSource>().Clear();
            http.RequestServices.GetRequiredService<SearchDatabase>().Db.Clear();
            http.Response.Clear();
            await next(http);
        }
    }
}
