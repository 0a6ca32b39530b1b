using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.Modules.Identity.OnlineStores;
using OrderStream.Modules.Identity.Users;

namespace OrderStream.Modules.Identity;

/// <summary>
/// What the operator's bootstrap command asks of Identity: a tenant's first administrator, and the demo users.
/// </summary>
public static class IdentityBootstrap
{
    public const string DemoPassword = "demo-password-2026";
    public const string DemoPin = "4826";

    /// <summary>
    /// Creates the System Administrator unless a user with that login code exists; answers whether it was created, and
    /// the user.
    /// </summary>
    public static Task<(bool Created, Guid UserId)> CreateAdministratorAsync(
        IServiceProvider services,
        string tenant,
        string loginCode,
        string password
    ) => InTenant(services, tenant, async (mediator, session) =>
        {
            var key = loginCode.ToLowerInvariant();
            if (await session.Query<User>().FirstOrDefaultAsync(u => u.LoginKey == key) is { } existing)
                return (false, existing.Id);
            var admin = await mediator.Send(
                new RegisterUser.Command(
                    "System",
                    "Administrator",
                    null,
                    loginCode,
                    "en",
                    null,
                    password,
                    null,
                    true,
                    true,
                    BackOfficeUserType.BusinessGroupManager,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null
                )
            );
            return (true, admin.Id);
        });

    /// <summary>
    /// A handful of users of every back-office type, with an online store for the OSA, and POS cashiers (type "").
    /// </summary>
    public static Task<
        IReadOnlyList<(Guid Id, string LoginCode, string Type, IReadOnlyList<string> ReportCodes)>
    > SeedDemoUsersAsync(IServiceProvider services, string tenant) =>
        InTenant<IReadOnlyList<(Guid, string, string, IReadOnlyList<string>)>>(services, tenant, async (mediator, _) =>
        {
            var store = await mediator.Send(new CreateOnlineStore.Command("shop", "Demo Online Shop"));
            Task<User> Add(
                string first,
                string last,
                string login,
                BackOfficeUserType type,
                string[]? pcs = null,
                string? salesperson = null,
                Guid? onlineStore = null
            ) =>
                mediator.Send(
                    new RegisterUser.Command(
                        first,
                        last,
                        $"{login}@demo.example",
                        login,
                        "en",
                        null,
                        DemoPassword,
                        DemoPin,
                        true,
                        false,
                        type,
                        null,
                        pcs,
                        salesperson,
                        onlineStore?.ToString(),
                        onlineStore is null ? null : OsaAccessMode.ReportsOnly,
                        onlineStore is null ? null : ["sales-summary", "open-orders"]
                    )
                );
            var users = new List<User>
            {
                await Add("Berta", "Gruber", "bgruber", BackOfficeUserType.BusinessGroupManager),
            };
            var pc = await Add("Paul", "Koch", "pkoch", BackOfficeUserType.ProductionCoordinator);
            users.Add(pc);
            users.Add(
                await Add("Anna", "Egger", "aegger", BackOfficeUserType.AccountExecutive, [pc.Id.ToString()], "SP-001")
            );
            users.Add(
                await Add(
                    "Jürgen",
                    "Müller",
                    "jmuller",
                    BackOfficeUserType.AccountExecutive,
                    [pc.Id.ToString()],
                    "SP-002"
                )
            );
            users.Add(
                await Add(
                    "Olga",
                    "Steiner",
                    "osteiner",
                    BackOfficeUserType.OnlineStoreAdministrator,
                    onlineStore: store
                )
            );
            // Cashiers, who work at the POS only: the sale points and the user list have people to show.
            (string First, string Last)[] cashiers =
            [
                ("Lena", "Bauer"),
                ("Felix", "Wagner"),
                ("Mia", "Hofer"),
                ("Lukas", "Pichler"),
                ("Sophie", "Moser"),
                ("Elias", "Mayr"),
                ("Hannah", "Berger"),
                ("David", "Fuchs"),
            ];
            foreach (var (first, last) in cashiers)
                users.Add(
                    await mediator.Send(
                        new RegisterUser.Command(
                            first,
                            last,
                            null,
                            (first[0] + last).ToLowerInvariant(),
                            first == "Lena" ? "de" : "en",
                            null,
                            DemoPassword,
                            DemoPin,
                            true,
                            false,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null
                        )
                    )
                );
            return users.Select(u => (u.Id, u.LoginCode, u.Type?.ToString() ?? "", u.Profile.ReportCodes)).ToList();
        });

    private static async Task<T> InTenant<T>(
        IServiceProvider services,
        string tenant,
        Func<IMediator, IQuerySession, Task<T>> work
    )
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant);
        scope.ServiceProvider.GetRequiredService<ActorContext>().SystemActor = "bootstrap";
        return await work(
            scope.ServiceProvider.GetRequiredService<IMediator>(),
            scope.ServiceProvider.GetRequiredService<IQuerySession>()
        );
    }
}
