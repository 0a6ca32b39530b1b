using System.Globalization;

namespace OrderStream.AdminConsole;

/// <summary>
/// The console's two languages with their formats written out. The console runs without ICU data
/// (<c>InvariantGlobalization</c>, ADR 0027: the data of even the smallest shard was a twentieth of the first load), so
/// the patterns and separators of English and German are set here, and language names are named here too.
/// </summary>
public static class Cultures
{
    /// <summary>The languages a user may have (the API's list), each by its own name.</summary>
    public static readonly IReadOnlyDictionary<string, string> LanguageNames = new Dictionary<string, string>
    {
        ["en"] = "English",
        ["de"] = "Deutsch",
        ["fr"] = "Français",
        ["it"] = "Italiano",
        ["es"] = "Español",
        ["pt"] = "Português",
        ["nl"] = "Nederlands",
        ["pl"] = "Polski",
        ["cs"] = "Čeština",
        ["sk"] = "Slovenčina",
        ["sl"] = "Slovenščina",
    };

    /// <summary>The console speaks English and German; any other language gets English.</summary>
    public static string Of(string? language) =>
        language?.StartsWith("de", StringComparison.Ordinal) == true ? "de" : "en";

    /// <summary>Makes <paramref name="language"/> the culture of the console's words and formats.</summary>
    public static void Use(string language)
    {
        var culture = For(Of(language));
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = culture;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
    }

    public static CultureInfo For(string language)
    {
        var culture = new CultureInfo(language);
        var (dates, numbers) = (culture.DateTimeFormat, culture.NumberFormat);
        if (language == "de")
        {
            (dates.ShortDatePattern, dates.LongDatePattern) = ("dd.MM.yyyy", "dddd, d. MMMM yyyy");
            (dates.ShortTimePattern, dates.LongTimePattern) = ("HH:mm", "HH:mm:ss");
            dates.DayNames = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"];
            dates.AbbreviatedDayNames = ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"];
            dates.MonthNames =
            [
                "Januar",
                "Februar",
                "März",
                "April",
                "Mai",
                "Juni",
                "Juli",
                "August",
                "September",
                "Oktober",
                "November",
                "Dezember",
                "",
            ];
            // A month beside a day takes the genitive names, which are the same in German.
            dates.MonthGenitiveNames = dates.MonthNames;
            dates.AbbreviatedMonthNames = dates.AbbreviatedMonthGenitiveNames = [
                "Jan.",
                "Feb.",
                "März",
                "Apr.",
                "Mai",
                "Juni",
                "Juli",
                "Aug.",
                "Sept.",
                "Okt.",
                "Nov.",
                "Dez.",
                "",
            ];
            (numbers.NumberGroupSeparator, numbers.NumberDecimalSeparator) = (".", ",");
            (numbers.CurrencyGroupSeparator, numbers.CurrencyDecimalSeparator) = (".", ",");
        }
        else
        {
            (dates.ShortDatePattern, dates.LongDatePattern) = ("M/d/yyyy", "dddd, MMMM d, yyyy");
            (dates.ShortTimePattern, dates.LongTimePattern) = ("h:mm tt", "h:mm:ss tt");
        }
        return culture;
    }
}
