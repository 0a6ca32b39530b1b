namespace OrderStream.Modules.Identity.Users;

internal static class GetUser
{
    public sealed record Query(Guid Id) : IQuery<User>;

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, User>
    {
        public async Task<User> Handle(Query query, CancellationToken ct) =>
            await session.LoadAsync<User>(query.Id, ct) ?? throw new NotFoundException("User", query.Id.ToString());
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/users/{id:guid}",
                    async (Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        var user = await mediator.Send(new Query(id), ct);
                        return http.WithETag(user.Version, UserResponse.From(user));
                    }
                )
                .WithTags("Users")
                .WithName("GetUser")
                .WithSummary("Read a user")
                .WithDescription("Answers the user with an `ETag` to send back as `If-Match` when changing them.")
                .AnswersWithETag()
                .Produces<UserResponse>()
                .RequireFeature(IdentityModule.ManageUsers);
    }
}
