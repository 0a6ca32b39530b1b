namespace OrderStream.Modules.Billing.Accounts;

/// <summary>
/// Rebuilds every billing account of the tenant from Billing's own event history (ADR 0008), in one pass.
/// </summary>
internal static class RebuildAccounts
{
    internal sealed record Command : ICommand<Result>;

    internal sealed record Result(int Accounts, int Events);

    internal sealed class Handler(IDocumentSession session) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command c, CancellationToken ct)
        {
            string[] types = ["account_opened", "account_renamed", "account_deactivated", "account_reactivated"];
            var events = await session
                .Events.QueryAllRawEvents()
                .Where(e => types.Contains(e.EventTypeName))
                .OrderBy(e => e.Sequence)
                .ToListAsync(ct);
            var accounts = new Dictionary<Guid, BillingAccount>();
            foreach (var e in events)
            {
                if (e.Data is AccountOpened opened)
                {
                    accounts[e.StreamId] = BillingAccount.Create(opened);
                    continue;
                }
                if (!accounts.TryGetValue(e.StreamId, out var account))
                    continue;
                switch (e.Data)
                {
                    case AccountRenamed x:
                        account.Apply(x);
                        break;
                    case AccountDeactivated x:
                        account.Apply(x);
                        break;
                    case AccountReactivated x:
                        account.Apply(x);
                        break;
                }
            }
            session.DeleteWhere<BillingAccount>(_ => true);
            session.Store(accounts.Values.ToArray());
            BillingRevisions.Replaced(session);
            return new Result(accounts.Count, events.Count);
        }
    }

    internal sealed class Endpoint : ICarterModule
    {
        public void AddRoutes(IEndpointRouteBuilder app) =>
            app.MapPost("/api/tenants/{tenant}/billing/rebuild", (IMediator mediator, CancellationToken ct) =>
                    mediator.Send(new Command(), ct)
                )
                .WithTags("Billing")
                .WithName("RebuildBillingAccounts")
                .WithSummary("Rebuild the billing accounts")
                .WithDescription("Replays the events to rebuild the billing read models. Audited.")
                .RequireFeature(BillingModule.ManageBilling);
    }
}
