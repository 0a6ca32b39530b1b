namespace OrderStream.BuildingBlocks.Web;

/// <summary>
/// RFC 4180. Written lines: a leading =, +, - or @ is prefixed with ' so spreadsheets never run a user's name as a
/// formula. Read files: comma- or semicolon-separated (what a spreadsheet saves in the user's locale, told apart by the
/// header).
/// </summary>
public static class Csv
{
    public sealed record Record(int Line, IReadOnlyList<string> Fields);

    /// <summary>
    /// The records of a file, each with the line it starts on; a malformed file is a 400 naming <c>body</c> and the
    /// line.
    /// </summary>
    public static IReadOnlyList<Record> Read(string text)
    {
        var records = new List<Record>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var delimiter = Delimiter(text);
        int line = 1,
            start = 1,
            i = 0;
        var quotedField = false;
        while (i < text.Length)
        {
            var ch = text[i];
            if (ch == '"' && field.Length == 0 && !quotedField)
            {
                quotedField = true;
                var opened = line;
                for (i++; ; i++)
                {
                    if (i >= text.Length)
                        throw new Errors.FieldRuleException("body", $"Line {opened}: a quoted field is never closed.");
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        if (text[i] == '\n')
                            line++;
                        field.Append(text[i]);
                    }
                }
                if (i < text.Length && text[i] != delimiter && text[i] != '\r' && text[i] != '\n')
                    throw new Errors.FieldRuleException(
                        "body",
                        $"Line {line}: text follows a closing quote (write a quote inside a quoted field as \"\")."
                    );
                continue;
            }
            if (ch == delimiter)
            {
                fields.Add(field.ToString());
                (field.Length, quotedField) = (0, false);
            }
            else if (ch is '\r' or '\n')
            {
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    i++;
                End();
                line++;
                start = line;
            }
            else
                field.Append(ch);
            i++;
        }
        End();
        return records;

        void End()
        {
            fields.Add(field.ToString());
            // A blank line (or the newline ending the file) is no record.
            if (fields.Count > 1 || fields[0].Length > 0 || quotedField)
                records.Add(new Record(start, [.. fields]));
            fields.Clear();
            (field.Length, quotedField) = (0, false);
        }
    }

    /// <summary>A semicolon when the header has semicolons and no comma; a comma otherwise.</summary>
    private static char Delimiter(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end >= 0 ? text.AsSpan(0, end) : text.AsSpan();
        return header.Contains(';') && !header.Contains(',') ? ';' : ',';
    }

    public static string Line(params string?[] fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
