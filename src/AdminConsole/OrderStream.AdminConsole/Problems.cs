using System.Text.Json;
using OrderStream.AdminConsole.Api;

namespace OrderStream.AdminConsole;

/// <summary>The API's RFC 9457 problem details, read from a failed call of the generated client.</summary>
public static class Problems
{
    /// <summary>What the problem says to a person: its detail, else its title.</summary>
    public static string? Detail(ApiException e)
    {
        var problem = Read(e);
        return problem.Detail ?? problem.Title;
    }

    /// <summary>The problem's words about each field it names (camelCase, as the API names them).</summary>
    public static IReadOnlyDictionary<string, string> Fields(ApiException e) =>
        Read(e).Errors?.ToDictionary(f => f.Key, f => string.Join(" ", f.Value), StringComparer.OrdinalIgnoreCase)
        ?? new Dictionary<string, string>();

    private static HttpValidationProblemDetails Read(ApiException e)
    {
        if (e is ApiException<HttpValidationProblemDetails> { Result: { } validation })
            return validation;
        if (e is ApiException<ProblemDetails> { Result: { } problem })
            return new HttpValidationProblemDetails { Title = problem.Title, Detail = problem.Detail };
        try
        {
            return JsonSerializer.Deserialize<HttpValidationProblemDetails>(e.Response ?? "", Json) ?? new();
        }
        catch (JsonException)
        {
            return new HttpValidationProblemDetails { Title = $"HTTP {e.StatusCode}" };
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
