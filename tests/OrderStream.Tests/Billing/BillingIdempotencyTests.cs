using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.Web;
using OrderStream.Modules.Billing.Accounts;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Billing;

/// <summary>Delivery is at least once: Billing must record each of Identity's events once however often it arrives.</summary>
public sealed class BillingIdempotencyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task Deliver<T>(string tenant, T e) where T : INotification
    {
        await using var scope = api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
        scope.ServiceProvider.GetRequiredService<ActorContext>().SystemActor = "test";
        foreach (var handler in scope.ServiceProvider.GetServices<INotificationHandler<T>>().Where(h => h.GetType().Name == "RecordUserLifecycle"))
            await handler.Handle(e, CancellationToken.None);
    }

    [Fact]
    public async Task Each_event_delivered_twice_is_recorded_once()
    {
        var admin = await api.CreateTenantAsync();
        var userId = Guid.NewGuid();
        var at = api.Clock.GetUtcNow();
        var created = new UserCreated(Guid.NewGuid(), admin.Tenant, at, userId.ToString(), "Twice Delivered", null, true);
        var deactivated = new UserDeactivated(Guid.NewGuid(), admin.Tenant, at.AddDays(3), userId.ToString(), "Twice Delivered", null);
        await Deliver(admin.Tenant, created);
        await Deliver(admin.Tenant, created);
        await Deliver(admin.Tenant, deactivated);
        await Deliver(admin.Tenant, deactivated);

        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(admin.Tenant);
        var events = await session.Events.FetchStreamAsync(BillingAccount.StreamId(userId));
        Assert.Equal(["AccountOpened", "AccountDeactivated"], events.Select(e => e.Data.GetType().Name));
        var account = await session.LoadAsync<BillingAccount>(BillingAccount.StreamId(userId));
        Assert.Equal([new ActivePeriod(at, at.AddDays(3))], account!.Periods);
    }
}
