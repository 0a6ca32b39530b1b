using MudBlazor;

namespace OrderStream.AdminConsole.Layout;

/// <summary>The console's colours: Material's defaults darkened where their contrast fails WCAG AA (axe).</summary>
public static class Theme
{
    public static readonly MudTheme Value = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b4f9c",
            Secondary = "#6b3fa0",
            AppbarBackground = "#0b4f9c",
            TextSecondary = "rgba(0,0,0,0.68)",
            ActionDefault = "rgba(0,0,0,0.68)",
            Error = "#b00020",
            Success = "#1b5e20",
            Info = "#0b5cad",
            Warning = "#8a4b00",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "Segoe UI", "Roboto", "Arial", "sans-serif"] },
        },
    };
}
