using System.Reflection;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.BuildingBlocks.Modules;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Architecture;

/// <summary>
/// Issue #19: which module consumes which event, and asks which other module what, is written in each module's class
/// (<see cref="ModuleFlows"/>) and drawn in the README; these tests hold both to the code.
/// </summary>
public sealed class ModuleFlowTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static IModule ModuleOf(Assembly assembly) =>
        (IModule)
            Activator.CreateInstance(
                assembly.GetTypes().Single(t => typeof(IModule).IsAssignableFrom(t) && !t.IsAbstract),
                true
            )!;

    private static string Names(IEnumerable<Type> types) => string.Join(", ", types.Select(t => t.Name).Order());

    [Fact]
    public void A_module_publishes_every_event_of_its_contracts()
    {
        foreach (var assembly in OrderStream.Host.Modules.Assemblies)
        {
            var contracts = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".Contracts.dll");
            var events = File.Exists(contracts)
                ? Assembly
                    .Load(assembly.GetName().Name + ".Contracts")
                    .GetTypes()
                    .Where(t => typeof(IIntegrationEvent).IsAssignableFrom(t))
                : [];
            Assert.Equal(Names(events), Names(ModuleOf(assembly).Flows.Publishes));
        }
    }

    [Fact]
    public void A_module_consumes_what_its_handlers_handle()
    {
        using var scope = api.Services.CreateScope();
        // Handlers open sessions.
        scope.ServiceProvider.GetRequiredService<OrderStream.BuildingBlocks.Tenancy.TenantContext>().Set("any");
        var handlers = scope.ServiceProvider.GetServices<IIntegrationEventBatchHandler>().ToList();
        foreach (var assembly in OrderStream.Host.Modules.Assemblies)
        {
            var handled = handlers.Where(h => h.GetType().Assembly == assembly).SelectMany(h => h.Handles).Distinct();
            Assert.Equal(Names(handled), Names(ModuleOf(assembly).Flows.Consumes));
        }
    }

    [Fact]
    public void A_module_asks_the_published_queries_and_commands_it_sends()
    {
        foreach (var assembly in OrderStream.Host.Modules.Assemblies)
            Assert.Equal(Names(SentRequests(assembly)), Names(ModuleOf(assembly).Flows.Asks));
    }

    /// <summary>
    /// Requests of other modules' contracts whose constructors the module calls (its references to members).
    /// </summary>
    internal static IEnumerable<Type> SentRequests(Assembly module)
    {
        var found = new HashSet<Type>();
        for (var row = 1; ; row++)
        {
            MemberInfo? member;
            try
            {
                member = module.ManifestModule.ResolveMember(0x0A000000 | row);
            }
            catch (ArgumentOutOfRangeException)
            {
                break;
            } // past the last reference
            catch (ArgumentException)
            {
                continue;
            } // a member of an open generic type: not a request's constructor
            if (
                member is ConstructorInfo { DeclaringType: { } type }
                && IsRequest(type)
                && type.Assembly.GetName().Name!.EndsWith(".Contracts", StringComparison.Ordinal)
                && !type.Assembly.GetName().Name!.StartsWith(module.GetName().Name!, StringComparison.Ordinal)
            )
                found.Add(type);
        }
        return found;
    }

    private static bool IsRequest(Type type) =>
        type.GetInterfaces()
            .Any(i => i == typeof(IRequest) || i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>));
}
