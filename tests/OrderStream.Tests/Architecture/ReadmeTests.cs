using System.Reflection;
using System.Text.RegularExpressions;
using OrderStream.BuildingBlocks.Modules;
using OrderStream.Tests.TestKit;
using Xunit;

namespace OrderStream.Tests.Architecture;

/// <summary>
/// The README stays true (issue #19): its module map is the modules' declared flows, every endpoint has its row with
/// the file of its slice, every file it links exists, and nothing in it points outside the repository.
/// </summary>
public sealed partial class ReadmeTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static string Root => Repository.Root;

    private static string Readme => File.ReadAllText(Path.Combine(Root, "README.md"));

    /// <summary>
    /// The flows of the modules as a Mermaid flowchart: events as arrows, questions as dotted arrows.
    /// </summary>
    internal static string ModuleMap()
    {
        var modules = OrderStream
            .Host.Modules.Assemblies.Select(a =>
                (
                    Name: a.GetName().Name!["OrderStream.Modules.".Length..],
                    Flows: (
                        (IModule)
                            Activator.CreateInstance(
                                a.GetTypes().Single(t => typeof(IModule).IsAssignableFrom(t) && !t.IsAbstract),
                                true
                            )!
                    ).Flows
                )
            )
            .ToList();
        string Owner(Type t) => t.Assembly.GetName().Name!["OrderStream.Modules.".Length..].Replace(".Contracts", "");
        string Label(IEnumerable<Type> types) =>
            string.Join(", ", types.Select(t => t.Name).Order(StringComparer.Ordinal));
        var events = modules
            .SelectMany(c => c.Flows.Consumes.GroupBy(Owner).Select(g => $"    {g.Key} -->|{Label(g)}| {c.Name}"))
            .Order(StringComparer.Ordinal);
        var asks = modules
            .SelectMany(a => a.Flows.Asks.GroupBy(Owner).Select(g => $"    {a.Name} -.->|{Label(g)}| {g.Key}"))
            .Order(StringComparer.Ordinal);
        return string.Join("\n", ["```mermaid", "flowchart LR", .. events, .. asks, "```"]);
    }

    [Fact]
    public void The_module_map_is_the_flows_the_modules_declare()
    {
        var block = ModuleMapBlock().Match(Readme);
        Assert.True(block.Success, "README.md has no <!-- module-map --> block");
        Assert.Equal(ModuleMap(), block.Groups["map"].Value.Trim());
    }

    [Fact]
    public void Every_endpoint_has_its_row_naming_the_file_of_its_slice()
    {
        var readme = Readme;
        var missing = ApiEndpoints
            .Of(api)
            .Where(e => !readme.Contains($"[{e.Name}](", StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, "not in README.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_linked_file_exists_and_nothing_points_outside_the_repository()
    {
        var readme = Readme;
        Assert.DoesNotContain("../", readme);
        Assert.DoesNotContain("shared/", readme);
        var links = Link().Matches(readme).Select(m => m.Groups["target"].Value).Where(t => !t.StartsWith("http"));
        Assert.All(links, target =>
            Assert.True(Path.Exists(Path.Combine(Root, target.Split('#')[0])), $"{target} does not exist")
        );
    }

    [GeneratedRegex("<!-- module-map -->(?<map>.*?)<!-- /module-map -->", RegexOptions.Singleline)]
    private static partial Regex ModuleMapBlock();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();
}
