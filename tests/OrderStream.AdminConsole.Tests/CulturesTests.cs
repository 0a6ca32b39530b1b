using System.Globalization;
using Xunit;

namespace OrderStream.AdminConsole.Tests;

/// <summary>The console runs without ICU data: its two languages' formats are its own (Cultures.cs).</summary>
public sealed class CulturesTests
{
    private static readonly DateTime Evening = new(2026, 12, 6, 20, 15, 0);

    [Fact]
    public void German_dates_and_numbers_are_written_the_German_way()
    {
        var de = Cultures.For("de");
        Assert.Equal("06.12.2026 20:15", Evening.ToString("g", de));
        Assert.Equal("06.12.2026", Evening.ToString("d", de));
        Assert.Equal("Sonntag, 6. Dezember 2026", Evening.ToString("D", de));
        Assert.Equal("1.234.567", 1_234_567.ToString("N0", de));
        Assert.Equal("12,50", 12.5m.ToString("N2", de));
    }

    [Fact]
    public void English_dates_and_numbers_are_written_the_American_way()
    {
        var en = Cultures.For("en");
        Assert.Equal("12/6/2026 8:15 PM", Evening.ToString("g", en));
        Assert.Equal("Sunday, December 6, 2026", Evening.ToString("D", en));
        Assert.Equal("1,234,567", 1_234_567.ToString("N0", en));
    }

    [Theory]
    [InlineData("de", "de")]
    [InlineData("de-AT", "de")]
    [InlineData("en", "en")]
    [InlineData("fr", "en")]
    [InlineData(null, "en")]
    public void The_console_speaks_German_or_English(string? language, string spoken) =>
        Assert.Equal(spoken, Cultures.Of(language));

    [Fact]
    public void Every_language_of_the_user_form_has_its_own_name() =>
        Assert.All(Cultures.LanguageNames, name => Assert.NotEqual(name.Key, name.Value.ToLowerInvariant()));
}
