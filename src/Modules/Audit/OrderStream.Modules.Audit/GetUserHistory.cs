using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Audit;

/// <summary>
/// One user's whole story, oldest first: created, renamed, rights given and taken and by whom, sale points and stores,
/// status, logins and refusals. A user Identity does not know never existed: a 404.
/// </summary>
internal static class GetUserHistory
{
    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapGet(
                    "/api/tenants/{tenant}/users/{id:guid}/history",
                    async (Guid id, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                    {
                        if ((await mediator.Send(new GetUserAccessFacts([id]), ct)).Count == 0)
                            throw new NotFoundException("User", id.ToString());
                        return await mediator.Send(
                            new ListAuditEntries.Query(
                                id.ToString(),
                                null,
                                null,
                                null,
                                null,
                                page ?? 1,
                                pageSize ?? Paging.MaxPageSize,
                                OldestFirst: true
                            ),
                            ct
                        );
                    }
                )
                .WithTags("Audit")
                .WithName("UserHistory")
                .WithSummary("Read a user's history")
                .WithDescription("Every change to the user, who made it and when, explained.")
                .RequireFeature(
                    AuditModule.ViewAuditLog,
                    SecureFeatureCodes.BackOfficeUsers,
                    SecureFeatureCodes.MaintainEmployeeData
                );
    }
}
