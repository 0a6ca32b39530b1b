using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Licenses;

/// <summary>
/// Whether the web office login requires a confirmed license (Identity asks Billing at each login). System
/// Administrators are exempt, so that enforcing can never lock a tenant out.
/// </summary>
internal static class SetLicenseEnforcement
{
    public sealed record Command(bool? Enforce) : ICommand<Unit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Enforce).NotNull();
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
            if ((stream.Aggregate?.Enforce ?? false) != c.Enforce)
                stream.AppendOne(
                    new LicenseEnforcementSet(
                        c.Enforce!.Value,
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
            app.MapPut(
                    "/api/tenants/{tenant}/licenses/enforcement",
                    async (Command command, IMediator m, HttpContext h, CancellationToken ct) =>
                    {
                        await m.Send(command, ct);
                        return await GetLicenses.AnswerAsync(m, h, ct);
                    }
                )
                .WithTags("Licenses")
                .WithName("SetLicenseEnforcement")
                .WithSummary("Switch license enforcement on or off")
                .WithDescription("When on, users without a confirmed license cannot log in. Audited.")
                .AnswersWithETag()
                .Produces<GetLicenses.Overview>()
                .RequireFeature(BillingModule.ManageBilling);
    }
}
