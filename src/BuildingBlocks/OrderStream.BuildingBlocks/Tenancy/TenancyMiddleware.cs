using System.Collections.Concurrent;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OrderStream.BuildingBlocks.Web;

namespace OrderStream.BuildingBlocks.Tenancy;

/// <summary>
/// Sets who is calling (actor, correlation id from <see cref="Correlation"/>) and, for every route under
/// /api/tenants/{tenant}: 404 for an unknown tenant, 403 when the caller's token belongs to another tenant (whoever the
/// caller is) or is a POS token and the endpoint does not accept one (ADR 0020) or belongs to an inactive user,
/// otherwise the tenant of the request's scope.
/// </summary>
public sealed class TenancyMiddleware(RequestDelegate next, TenantDirectory tenants)
{
    private const string Prefix = "/api/tenants/";

    public async Task InvokeAsync(
        HttpContext http,
        TenantContext context,
        ActorContext actor,
        IProblemDetailsService problems,
        IFeatureDecider decider
    )
    {
        actor.CorrelationId = http.TraceIdentifier;
        actor.User = CurrentUser.From(http.User);
        actor.ClientAddress = http.Connection.RemoteIpAddress?.ToString();

        var path = http.Request.Path.Value ?? "";
        if (!path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }
        var rest = path.AsSpan(Prefix.Length);
        var code = (rest.IndexOf('/') is var slash and >= 0 ? rest[..slash] : rest).ToString();
        if (await tenants.FindAsync(code, http.RequestAborted) is null)
        {
            await Refuse(
                http,
                problems,
                StatusCodes.Status404NotFound,
                "Not found",
                $"Tenant '{code}' does not exist."
            );
            return;
        }
        if (actor.User is { } user && user.Tenant != code)
        {
            await Refuse(
                http,
                problems,
                StatusCodes.Status403Forbidden,
                "Forbidden",
                "Your token is for another tenant."
            );
            return;
        }
        if (actor.User is { IsPos: true } && http.GetEndpoint()?.Metadata.GetMetadata<PosTokensAccepted>() is null)
        {
            await Refuse(
                http,
                problems,
                StatusCodes.Status403Forbidden,
                "Forbidden",
                "This token was issued at a POS and is good there only: the back office needs a web office login."
            );
            return;
        }
        context.Set(code);
        var standing =
            actor.User is { } caller && http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null
                ? await decider.StandingAsync(caller, http.RequestAborted)
                : TokenStanding.Good;
        if (standing == TokenStanding.UserInactive)
        {
            await Refuse(
                http,
                problems,
                StatusCodes.Status403Forbidden,
                "Forbidden",
                "This user is inactive: their tokens no longer work."
            );
            return;
        }
        if (standing == TokenStanding.Ended)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await Refuse(
                http,
                problems,
                StatusCodes.Status401Unauthorized,
                "Unauthorized",
                "This session was ended when the password changed: log in again."
            );
            return;
        }
        await next(http);
    }

    private static async Task Refuse(
        HttpContext http,
        IProblemDetailsService problems,
        int status,
        string title,
        string detail
    )
    {
        http.Response.StatusCode = status;
        await problems.WriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = status,
                    Title = title,
                    Detail = detail,
                },
            }
        );
    }
}

/// <summary>Tenants change only through the bootstrap command, so a found tenant is cached for the process.</summary>
public sealed class TenantDirectory(IDocumentStore store)
{
    private readonly ConcurrentDictionary<string, Tenant> _cache = new();

    public async Task<Tenant?> FindAsync(string code, CancellationToken ct)
    {
        if (_cache.TryGetValue(code, out var cached))
            return cached;
        await using var session = store.QuerySession();
        var tenant = await session.LoadAsync<Tenant>(code, ct);
        if (tenant is not null)
            _cache[code] = tenant;
        return tenant;
    }
}
