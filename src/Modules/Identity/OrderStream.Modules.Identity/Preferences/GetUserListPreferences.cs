namespace OrderStream.Modules.Identity.Preferences;

/// <summary>The caller's own layout of the user list, or the default one until they save theirs.</summary>
internal static class GetUserListPreferences
{
    public sealed record Query : IQuery<UserListPreferencesResponse>;

    internal sealed class Handler(IQuerySession session, ActorContext actor)
        : IRequestHandler<Query, UserListPreferencesResponse>
    {
        public async Task<UserListPreferencesResponse> Handle(Query q, CancellationToken ct) =>
            UserListPreferencesResponse.From(
                await session.LoadAsync<UserListPreferences>(actor.RequireUser().UserId, ct)
                    ?? UserListPreferences.Default
            );
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet("/api/tenants/{tenant}/me/preferences/user-list", (IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new Query(), ct)
                )
                .WithTags("Preferences")
                .WithName("GetUserListPreferences")
                .WithSummary("Read my user-list layout")
                .WithDescription("The columns, order and page size the caller chose for the user list.")
                .RequireAuthorization();
    }
}
