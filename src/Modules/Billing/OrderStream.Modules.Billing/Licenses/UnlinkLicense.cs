using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>Takes a license back from its user, confirmed or not; it is unused again.</summary>
internal static class UnlinkLicense
{
    public sealed record Command(Guid LicenseId) : ICommand<Unit>;

    internal sealed class Handler(
        IDocumentSession session,
        TenantContext tenant,
        ActorContext actor,
        TimeProvider clock
    ) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command c, CancellationToken ct)
        {
            var stream = await LicensePool.OpenAsync(session, tenant.Tenant, ct);
            var license = (stream.Aggregate ?? new LicensePool()).Find(c.LicenseId);
            if (license.Status == LicenseStatus.Unused)
                throw new ConflictException("That license is not linked to anyone.");
            stream.AppendOne(
                new LicenseUnlinked(
                    license.Id,
                    license.UserId!.Value,
                    clock.GetUtcNow(),
                    actor.RequireUser().UserId.ToString()
                )
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/licenses/{id:guid}/unlink",
                    async (Guid id, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(new Command(id), ct);
                        return await GetLicenses.AnswerAsync(m, h, ct);
                    }
                )
                .WithTags("Licenses")
                .WithName("UnlinkLicense")
                .WithSummary("Unlink a license")
                .WithDescription("Frees the license of a user; it returns to the pool. Audited.")
                .AnswersWithETag()
                .Produces<GetLicenses.Overview>()
                .RequireFeature(BillingModule.ManageBilling);
    }
}
