using Xunit;

namespace OrderStream.Tests.TestKit;

/// <summary>Classes that hold the service to a wall-clock bound run one at a time, with nothing else running.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    public const string Name = "alone";
}
