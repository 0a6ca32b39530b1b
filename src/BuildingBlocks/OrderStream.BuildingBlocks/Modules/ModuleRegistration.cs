using System.Reflection;
using Carter;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrderStream.BuildingBlocks.Cqrs;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.Web;

namespace OrderStream.BuildingBlocks.Modules;

/// <summary>
/// A module's own registrations (its Marten documents, its services). Found by scanning; one per module.
/// </summary>
public interface IModule
{
    /// <summary>
    /// What the module tells and asks the others: read here, drawn in the README, held to the code by tests.
    /// </summary>
    ModuleFlows Flows { get; }

    void Register(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment);
}

/// <summary>
/// A module's event flows: the contract events it publishes and those of others it consumes, and the published queries
/// and commands of other modules it sends.
/// </summary>
public sealed record ModuleFlows(IReadOnlyList<Type> Publishes, IReadOnlyList<Type> Consumes, IReadOnlyList<Type> Asks);

public static class ModuleRegistration
{
    /// <summary>
    /// Registers MediatR handlers, behaviours, validators, Carter endpoints and modules by scanning the given
    /// assemblies.
    /// </summary>
    public static IServiceCollection AddModules(
        this IServiceCollection services,
        IConfiguration configuration,
        IHostEnvironment environment,
        IReadOnlyList<Assembly> moduleAssemblies
    )
    {
        var assemblies = moduleAssemblies.Append(typeof(ModuleRegistration).Assembly).Distinct().ToArray();

        // MediatR 5 has no DI package here (ADR 0001): the factory must be scoped so handlers get the request's
        // session.
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.Scan(scan =>
            scan.FromAssemblies(assemblies)
                .AddClasses(c => c.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
                .AsImplementedInterfaces()
                .WithTransientLifetime()
                .AddClasses(c => c.AssignableTo(typeof(INotificationHandler<>)), publicOnly: false)
                .AsImplementedInterfaces()
                .WithTransientLifetime()
                .AddClasses(c => c.AssignableTo<Events.IIntegrationEventBatchHandler>(), publicOnly: false)
                .As<Events.IIntegrationEventBatchHandler>()
                .WithTransientLifetime()
                .AddClasses(c => c.AssignableTo(typeof(IPipelineBehavior<,>)), publicOnly: false)
                .AsImplementedInterfaces()
                .WithTransientLifetime()
                .AddClasses(c => c.AssignableTo<Audit.IAuditExplainer>(), publicOnly: false)
                .As<Audit.IAuditExplainer>()
                .WithSingletonLifetime()
                .AddClasses(c => c.AssignableTo<Audit.IAuditNames>(), publicOnly: false)
                .As<Audit.IAuditNames>()
                .WithScopedLifetime()
        );
        services.AddValidatorsFromAssemblies(assemblies, ServiceLifetime.Singleton, includeInternalTypes: true);

        var endpoints = assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICarterModule).IsAssignableFrom(t))
            .ToArray();
        services.AddCarter(configurator: c => c.WithModules(endpoints).WithValidators([]));

        services.AddScoped<TenantContext>();
        services.AddScoped<ActorContext>();
        services.AddScoped<UnitOfWork>();
        services.AddScoped<BulkRows>();
        services.AddSingleton<TenantDirectory>();
        services.TryAddSingleton(TimeProvider.System);

        foreach (
            var module in assemblies
                .SelectMany(a => a.GetTypes())
                .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IModule).IsAssignableFrom(t))
        )
            ((IModule)Activator.CreateInstance(module, nonPublic: true)!).Register(
                services,
                configuration,
                environment
            );
        return services;
    }
}
