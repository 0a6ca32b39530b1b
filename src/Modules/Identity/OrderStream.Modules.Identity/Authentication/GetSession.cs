using OrderStream.BuildingBlocks.Security;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// The console's session (ADR 0027): who is signed in, in which language, the tenant's time zone and currency, until
/// when, and the anti-forgery token that the console sends with every write. The token itself stays in the cookie,
/// out of reach of script.
/// </summary>
internal static class GetSession
{
    public sealed record Query(Guid UserId, string Token, DateTimeOffset ExpiresAt) : IQuery<SessionResponse>;

    public sealed record SessionResponse(
        string Tenant,
        string TenantName,
        string TimeZone,
        string Currency,
        string UserId,
        string Name,
        string LoginCode,
        string Language,
        bool IsSystemAdministrator,
        DateTimeOffset ExpiresAt,
        string AntiforgeryToken
    );

    internal sealed class Handler(
        IQuerySession session,
        TenantContext tenant,
        TenantDirectory tenants,
        SessionCookie cookie
    ) : IRequestHandler<Query, SessionResponse>
    {
        public async Task<SessionResponse> Handle(Query q, CancellationToken ct)
        {
            var user = await session.LoadAsync<User>(q.UserId, ct)
                ?? throw new NotFoundException("User", q.UserId.ToString());
            var company = await tenants.FindAsync(tenant.Tenant, ct);
            return new SessionResponse(
                tenant.Tenant,
                company?.Name ?? tenant.Tenant,
                company?.TimeZone ?? "UTC",
                company?.Currency ?? "EUR",
                user.Id.ToString(),
                user.EmployeeName(),
                user.LoginCode,
                user.Language,
                user.IsSystemAdministrator,
                q.ExpiresAt,
                cookie.AntiforgeryToken(q.Token)
            );
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/auth/session",
                    (HttpContext http, ActorContext actor, IMediator mediator, CancellationToken ct) =>
                    {
                        var token = http.Request.Headers.Authorization.ToString() is { Length: > 7 } header
                            ? header[7..].Trim()
                            : http.Request.Cookies[SessionCookie.Name] ?? "";
                        var expires = long.TryParse(http.User.FindFirst("exp")?.Value, out var exp)
                            ? DateTimeOffset.FromUnixTimeSeconds(exp)
                            : DateTimeOffset.MinValue;
                        return mediator.Send(new Query(actor.RequireUser().UserId, token, expires), ct);
                    }
                )
                .WithTags("Authentication")
                .WithName("GetSession")
                .WithSummary("Read my session")
                .WithDescription(
                    "Who is signed in, in which language and until when, with the anti-forgery token that a caller "
                        + "signed in by the session cookie sends in the X-CSRF-Token header with every change."
                )
                .RequireAuthorization()
                .Produces<SessionResponse>();
    }
}
