using OrderStream.BuildingBlocks.Security;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// The console's sign-in and sign-out (ADR 0027): a web office login (the same lockout, refusals and audit as
/// <see cref="LogIn"/>) whose token goes into an HttpOnly, SameSite=Strict cookie instead of the answer.
/// </summary>
internal static class SignIn
{
    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app)
        {
            app.MapPost(
                    "/api/tenants/{tenant}/auth/session",
                    async (LogIn.Command command, HttpContext http, SessionCookie cookie, IMediator mediator) =>
                    {
                        var ct = http.RequestAborted;
                        var login = await mediator.Send(command, ct);
                        cookie.Append(http.Response, login.Token, login.ExpiresAt);
                        var user = Guid.Parse(login.UserId);
                        return await mediator.Send(new GetSession.Query(user, login.Token, login.ExpiresAt), ct);
                    }
                )
                .WithTags("Authentication")
                .WithName("SignIn")
                .WithSummary("Sign in to the console")
                .WithDescription(
                    "A web office login answered with a session cookie (HttpOnly, SameSite=Strict, Secure outside "
                        + "Development) instead of a token: the same lockout and the same refusals (401) as the "
                        + "login. Changes made with the cookie need the answer's anti-forgery token in the "
                        + "X-CSRF-Token header."
                )
                .AllowAnonymous()
                .RequireRateLimiting("login")
                .Produces<GetSession.SessionResponse>()
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status429TooManyRequests);

            app.MapDelete("/api/tenants/{tenant}/auth/session", (HttpContext http, SessionCookie cookie) =>
                {
                    cookie.Delete(http.Response);
                    return Results.NoContent();
                })
                .WithTags("Authentication")
                .WithName("SignOut")
                .WithSummary("Sign out of the console")
                .WithDescription("Removes the session cookie.")
                .RequireAuthorization()
                .Produces(StatusCodes.Status204NoContent);
        }
    }
}
