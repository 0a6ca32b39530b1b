using OrderStream.BuildingBlocks.Errors;
using OrderStream.BuildingBlocks.Web;
using Xunit;

namespace OrderStream.Tests.Unit;

/// <summary>Reading the CSV files users import (RFC 4180, as spreadsheets save them).</summary>
public sealed class CsvTests
{
    private static string[] Show(string text) =>
        [.. Csv.Read(text).Select(r => $"{r.Line}: {string.Join(" | ", r.Fields)}")];

    [Theory]
    [InlineData("a,b\nc,d", new[] { "1: a | b", "2: c | d" })]
    [InlineData("a,b\r\nc,d\r\n", new[] { "1: a | b", "2: c | d" })]
    [InlineData("a,b\rc,d\r", new[] { "1: a | b", "2: c | d" })]
    [InlineData("a;b\nc;d", new[] { "1: a | b", "2: c | d" })]
    [InlineData("a;b,x\nc;d", new[] { "1: a;b | x", "2: c;d" })]
    [InlineData("a,b\n\n\nc,d\n", new[] { "1: a | b", "4: c | d" })]
    [InlineData("a,,\n,,", new[] { "1: a |  | ", "2:  |  | " })]
    [InlineData("\"x, y\",\"say \"\"hi\"\"\"\n", new[] { "1: x, y | say \"hi\"" })]
    [InlineData("\"two\nlines\",b\nc,d", new[] { "1: two\nlines | b", "3: c | d" })]
    [InlineData("\"\"\n", new[] { "1: " })]
    [InlineData("O'Neil,a\"b", new[] { "1: O'Neil | a\"b" })]
    [InlineData("", new string[0])]
    public void Records_keep_their_fields_and_the_line_they_start_on(string text, string[] expected) =>
        Assert.Equal(expected, Show(text));

    [Theory]
    [InlineData("a,b\n\"open,c", "Line 2: a quoted field is never closed.")]
    [InlineData("a,b\n\"x\"y,c", "Line 2: text follows a closing quote")]
    public void A_malformed_file_names_the_line(string text, string message)
    {
        var refused = Assert.Throws<FieldRuleException>(() => Csv.Read(text));
        Assert.Equal("body", refused.Field);
        Assert.StartsWith(message, refused.Message, StringComparison.Ordinal);
    }
}
