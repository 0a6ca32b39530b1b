namespace OrderStream.AdminConsole;

/// <summary>The <c>If-Match</c> of a change: the version the screen was read at, as the API's ETags write it.</summary>
public static class IfMatch
{
    public static string Of(long version) => $"\"{version}\"";
}
