namespace OrderStream.Modules.Roles.Grants;

/// <summary>The roles and direct grants a user holds, as the user form shows them (issue #21).</summary>
internal static class GetUserAccess
{
    public sealed record Query(Guid UserId) : IQuery<UserAccessResponse>;

    internal sealed class Handler(IQuerySession session) : IRequestHandler<Query, UserAccessResponse>
    {
        public async Task<UserAccessResponse> Handle(Query q, CancellationToken ct)
        {
            var access = await session.LoadAsync<UserAccess>(UserAccess.StreamId(q.UserId), ct)
                ?? UserAccess.Empty(q.UserId);
            return new UserAccessResponse(q.UserId.ToString(), access.Roles, access.Grants);
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/users/{id:guid}/access",
                    (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new Query(id), ct)
                )
                .WithTags("User rights")
                .WithName("GetUserAccess")
                .WithSummary("Read a user's roles and grants")
                .WithDescription(
                    "The roles assigned to the user (each with its time box) and the features granted directly. "
                        + "What they amount to is the effective permissions."
                )
                .RequireFeature(RolesModule.MaintainRoles, RolesModule.BackOfficeUsers);
    }
}
