using OrderStream.BuildingBlocks.Tenancy;

namespace OrderStream.Modules.Billing.Settings;

/// <summary>
/// Sets the price per user (and currency) that statements use from now on (If-Match); every change is audited.
/// </summary>
internal static class SaveBillingSettings
{
    internal sealed record Body(decimal? PricePerUser, string? Currency);

    internal sealed record Command(decimal? PricePerUser, string? Currency, long? ExpectedVersion) : ICommand<Unit>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(s => s.PricePerUser).NotNull().InclusiveBetween(0m, 100_000m).PrecisionScale(9, 2, true);
            RuleFor(s => s.Currency)
                .Matches("^[A-Z]{3}$")
                .WithMessage("Currency must be an ISO 4217 code such as EUR.")
                .When(s => s.Currency is not null);
        }
    }

    internal sealed class Handler(
        IDocumentSession session,
        TenantContext tenant,
        TenantDirectory tenants,
        ActorContext actor,
        TimeProvider clock
    ) : IRequestHandler<Command, Unit>
    {
        public async Task<Unit> Handle(Command s, CancellationToken ct)
        {
            var id = BillingSettings.StreamId(tenant.Tenant);
            var stream = await session.FetchStreamForUpdateAsync<BillingSettings>(
                id,
                s.ExpectedVersion,
                "billing settings",
                ct
            );
            var currency = s.Currency
                ?? stream.Aggregate?.Currency
                ?? (await tenants.FindAsync(tenant.Tenant, ct))!.Currency;
            stream.AppendOne(
                new BillingPriceSet(
                    s.PricePerUser!.Value,
                    currency,
                    clock.GetUtcNow(),
                    actor.RequireUser().UserId.ToString()
                )
            );
            return Unit.Value;
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPut(
                    "/api/tenants/{tenant}/billing/settings",
                    async (Body body, IMediator mediator, HttpContext http, CancellationToken ct) =>
                    {
                        await mediator.Send(
                            new Command(body.PricePerUser, body.Currency, ETags.ExpectedVersion(http.Request)),
                            ct
                        );
                        return await GetBillingSettings.AnswerAsync(mediator, http, ct);
                    }
                )
                .WithTags("Billing")
                .WithName("SaveBillingSettings")
                .WithSummary("Change the billing settings")
                .WithDescription(
                    "Send `If-Match` with the `ETag` you read: 412 when someone changed them since. " + "Audited."
                )
                .AnswersWithETag()
                .TakesIfMatch()
                .Produces<BillingSettingsResponse>()
                .RequireFeature(BillingModule.ManageBilling);
    }
}
