using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.SalePoints.Assignments;
using OrderStream.Modules.SalePoints.Locations;

namespace OrderStream.Modules.SalePoints;

/// <summary>
/// The demo tenant's sale points and stores, and its users at them (issue #21: every screen of the console has
/// something to show). Through the module's own commands, made by the tenant's first administrator, so every rule of
/// who may give what applies as it would in the console.
/// </summary>
public static class SalePointsBootstrap
{
    /// <summary>
    /// Three sale points and two stores. The first two users (the managers) get all of them; the others one city each,
    /// in turn, with the role each holds, and that city's store as their default.
    /// </summary>
    public static async Task<int> SeedDemoAsync(
        IServiceProvider services,
        string tenant,
        Guid administrator,
        IReadOnlyList<(Guid UserId, Guid RoleId)> users
    )
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
        scope.ServiceProvider.GetRequiredService<ActorContext>().User = new CurrentUser(
            administrator,
            tenant,
            "bootstrap"
        );
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        (string Code, string Name, string City, string Street, string Postal)[] cities =
        [
            ("VIE-01", "Vienna Centre", "Vienna", "Kärntner Straße 12", "1010"),
            ("GRZ-01", "Graz Main Square", "Graz", "Hauptplatz 3", "8010"),
            ("LNZ-01", "Linz Station", "Linz", "Bahnhofplatz 1", "4020"),
        ];
        var salePoints = new List<Guid>();
        foreach (var (code, name, city, street, postal) in cities)
            salePoints.Add(
                await mediator.Send(
                    new CreateSalePoint.Command(code, name, new Address([street], postal, city, "AT"), null)
                )
            );
        var stores = new List<Guid>
        {
            await mediator.Send(new CreateStore.Command("WH-VIE", "Vienna Warehouse", null, null)),
            await mediator.Send(new CreateStore.Command("WH-GRZ", "Graz Depot", null, null)),
        };
        for (var i = 0; i < users.Count; i++)
        {
            var (user, role) = users[i];
            var mine = i < 2 ? salePoints : [salePoints[i % salePoints.Count]];
            foreach (var salePoint in mine)
                await mediator.Send(new AddUserSalePoint.Command(user, null, salePoint, role, null, null));
            var myStores = i < 2 ? stores : [stores[i % salePoints.Count == 1 ? 1 : 0]];
            foreach (var store in myStores)
                await mediator.Send(new AddUserStore.Command(user, null, store));
            await mediator.Send(new SetDefaultStore.Command(user, null, myStores[0]));
        }
        return salePoints.Count + stores.Count;
    }
}
