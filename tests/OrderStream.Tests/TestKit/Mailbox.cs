using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrderStream.Tests.TestKit;

/// <summary>The mail that arrived at the MailDev test.sh starts (MAILDEV_URL), read through its REST API.</summary>
public static class Mailbox
{
    private static readonly HttpClient Http = new()
    {
        BaseAddress = new Uri(Environment.GetEnvironmentVariable("MAILDEV_URL") ?? "http://127.0.0.1:1080"),
    };

    /// <summary>
    /// The mails to <paramref name="address"/>, oldest first, once there are at least <paramref name="count"/> (waits
    /// up to 20 s).
    /// </summary>
    public static async Task<IReadOnlyList<JsonObject>> WaitForAsync(string address, int count = 1)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var all = await Http.GetFromJsonAsync<JsonArray>("/email") ?? [];
            var mine = all.OfType<JsonObject>()
                .Where(m =>
                    m["to"]!
                        .AsArray()
                        .Any(t => string.Equals((string?)t!["address"], address, StringComparison.OrdinalIgnoreCase))
                )
                .ToList();
            if (mine.Count >= count)
                return mine;
            if (DateTime.UtcNow > until)
                throw new TimeoutException(
                    $"{count} mail(s) to {address} did not arrive within 20 seconds ({mine.Count} did)."
                );
            await Task.Delay(100);
        }
    }
}
