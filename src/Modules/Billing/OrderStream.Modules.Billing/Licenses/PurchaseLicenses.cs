using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>Records the purchase of licenses (there is no payment integration): that many more, unused.</summary>
internal static class PurchaseLicenses
{
    public sealed record Command(int? Count) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Count).NotNull().InclusiveBetween(1, 10_000);
    }

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
            var total = stream.Aggregate?.Licenses.Count ?? 0;
            var ids = Enumerable.Range(0, c.Count!.Value).Select(_ => Guid.CreateVersion7()).ToList();
            stream.AppendOne(
                new LicensesPurchased(ids, clock.GetUtcNow(), actor.RequireUser().UserId.ToString(), total + ids.Count)
            );
            return Unit.Value;
        }
    }

    public sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost(
                    "/api/tenants/{tenant}/licenses/purchase",
                    async (Command command, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(command, ct);
                        return await GetLicenses.AnswerAsync(m, h, ct);
                    }
                )
                .WithTags("Licenses")
                .WithName("PurchaseLicenses")
                .WithSummary("Purchase licenses")
                .WithDescription("Adds licenses to the tenant's pool. Audited.")
                .AnswersWithETag()
                .Produces<GetLicenses.Overview>()
                .RequireFeature(BillingModule.ManageBilling);
    }
}
