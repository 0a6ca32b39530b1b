using System.Reflection;
using OrderStream.BuildingBlocks.Modules;
using Xunit;

namespace OrderStream.Tests.Architecture;

/// <summary>Written once, run for every module in the Host's list (ADR 0002).</summary>
public sealed class ModuleBoundaryTests
{
    public static TheoryData<string> ModuleAssemblies() =>
        [.. OrderStream.Host.Modules.Assemblies.Select(a => a.GetName().Name!)];

    private static Assembly Load(string name) =>
        OrderStream.Host.Modules.Assemblies.Single(a => a.GetName().Name == name);

    [Theory]
    [MemberData(nameof(ModuleAssemblies))]
    public void A_module_references_only_building_blocks_and_other_modules_contracts(string module)
    {
        var others = Load(module)
            .GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("OrderStream.", StringComparison.Ordinal))
            .Where(n =>
                !n.StartsWith("OrderStream.BuildingBlocks", StringComparison.Ordinal)
                && !n.EndsWith(".Contracts", StringComparison.Ordinal)
            )
            .ToList();
        Assert.Empty(others);
    }

    /// <summary>
    /// Modules that publish contracts (a module that publishes nothing yet has no contracts project).
    /// </summary>
    public static TheoryData<string> ModulesWithContracts() =>
        [
            .. OrderStream
                .Host.Modules.Assemblies.Select(a => a.GetName().Name!)
                .Where(n => File.Exists(Path.Combine(AppContext.BaseDirectory, n + ".Contracts.dll"))),
        ];

    [Theory]
    [MemberData(nameof(ModulesWithContracts))]
    public void A_modules_contracts_depend_on_no_module_marten_or_carter(string module)
    {
        var contracts = Assembly.Load(module + ".Contracts");
        var references = contracts.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, n =>
            n.StartsWith("Marten", StringComparison.Ordinal)
            || n.StartsWith("Carter", StringComparison.Ordinal)
            || (
                n.StartsWith("OrderStream.Modules.", StringComparison.Ordinal)
                && !n.EndsWith(".Contracts", StringComparison.Ordinal)
            )
        );
        Assert.All(contracts.GetExportedTypes(), t => Assert.True(t.IsSealed, $"{t} should be a sealed record"));
    }

    [Theory]
    [MemberData(nameof(ModuleAssemblies))]
    public void A_module_is_internal_except_its_registration_and_bootstrap(string module)
    {
        var exposed = Load(module)
            .GetExportedTypes()
            .Where(t => !typeof(IModule).IsAssignableFrom(t) && !t.Name.EndsWith("Bootstrap", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(exposed);
    }

    [Fact]
    public void Every_module_in_the_list_has_exactly_one_registration()
    {
        foreach (var assembly in OrderStream.Host.Modules.Assemblies)
            Assert.Single(assembly.GetTypes(), t => typeof(IModule).IsAssignableFrom(t) && !t.IsAbstract);
    }
}
