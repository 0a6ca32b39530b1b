using System.Runtime.CompilerServices;

namespace OrderStream.Tests.TestKit;

/// <summary>
/// A missing snapshot fails the test instead of being written, under a bare <c>dotnet test</c> as under <c>test.sh</c>.
/// To write new snapshots on purpose: <c>SNAPSHOOTER_STRICT_MODE=false dotnet test</c>.
/// </summary>
internal static class StrictSnapshots
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        if (Environment.GetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE") is null)
            Environment.SetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE", "true");
    }
}
