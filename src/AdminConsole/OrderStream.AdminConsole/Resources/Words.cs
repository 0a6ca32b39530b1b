namespace OrderStream.AdminConsole.Resources;

/// <summary>The console's words: Words.resx (English) and Words.de.resx (German).</summary>
public sealed class Words;
