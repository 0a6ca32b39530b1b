namespace OrderStream.BuildingBlocks.Web;

/// <summary>RFC 4180 lines; a leading =, +, - or @ is prefixed with ' so spreadsheets never run a user's name as a formula.</summary>
public static class Csv
{
    public static string Line(params string?[] fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
