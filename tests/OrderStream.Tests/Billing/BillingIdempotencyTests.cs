using Marten;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.Web;
using OrderStream.Modules.Billing.Accounts;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Billing;

/// <summary>
/// Delivery is at least once: Billing must record each of Identity's events once however often it arrives.
/// </summary>
public sealed class BillingIdempotencyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task Deliver(string tenant, params IIntegrationEvent[] page)
    {
        await using var scope = api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
        scope.ServiceProvider.GetRequiredService<ActorContext>().SystemActor = "test";
        var handler = scope
            .ServiceProvider.GetServices<IIntegrationEventBatchHandler>()
            .Single(h => h is UserLifecycleEventsHandler);
        await handler.HandleAsync(page, CancellationToken.None);
    }

    [Fact]
    public async Task Each_event_delivered_twice_is_recorded_once()
    {
        var admin = await api.CreateTenantAsync();
        var userId = Guid.NewGuid();
        var at = api.Clock.GetUtcNow();
        var created = new UserCreated(
            Guid.NewGuid(),
            admin.Tenant,
            at,
            userId.ToString(),
            "Twice Delivered",
            null,
            true
        );
        var deactivated = new UserDeactivated(
            Guid.NewGuid(),
            admin.Tenant,
            at.AddDays(3),
            userId.ToString(),
            "Twice Delivered",
            null
        );
        await Deliver(admin.Tenant, created);
        await Deliver(admin.Tenant, created);
        await Deliver(admin.Tenant, deactivated);
        await Deliver(admin.Tenant, deactivated);
        // A page redelivered whole (the process died before its progress was stored), with an event twice in it.
        await Deliver(admin.Tenant, created, deactivated, deactivated);

        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(admin.Tenant);
        var events = await session.Events.FetchStreamAsync(BillingAccount.StreamId(userId));
        Assert.Equal(["AccountOpened", "AccountDeactivated"], events.Select(e => e.Data.GetType().Name));
        var account = await session.LoadAsync<BillingAccount>(BillingAccount.StreamId(userId));
        Assert.Equal([new ActivePeriod(at, at.AddDays(3))], account!.Periods);
    }

    [Fact]
    public async Task A_page_opens_renames_and_closes_an_account_in_order()
    {
        var admin = await api.CreateTenantAsync();
        var userId = Guid.NewGuid();
        var at = api.Clock.GetUtcNow();
        var user = userId.ToString();
        await Deliver(
            admin.Tenant,
            new UserCreated(Guid.NewGuid(), admin.Tenant, at, user, "First Name", null, true),
            new UserRenamed(Guid.NewGuid(), admin.Tenant, at.AddDays(1), user, "Second Name", "First Name"),
            new UserDeactivated(Guid.NewGuid(), admin.Tenant, at.AddDays(2), user, "Second Name", null),
            new UserReactivated(Guid.NewGuid(), admin.Tenant, at.AddDays(5), user, "Second Name", null)
        );

        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(admin.Tenant);
        var account = await session.LoadAsync<BillingAccount>(BillingAccount.StreamId(userId));
        Assert.Equal([new ActivePeriod(at, at.AddDays(2)), new ActivePeriod(at.AddDays(5), null)], account!.Periods);
        Assert.Equal(["First Name", "Second Name"], account.Names.Select(n => n.EmployeeName));
    }
}
