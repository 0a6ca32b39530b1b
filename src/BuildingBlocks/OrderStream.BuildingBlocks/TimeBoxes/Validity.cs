using FluentValidation;

namespace OrderStream.BuildingBlocks.TimeBoxes;

/// <summary>
/// When a grant, role or sale-point assignment applies (issue #6's time-boxed grants): from <c>From</c> (inclusive)
/// until <c>Until</c> (exclusive); either may be open. Shared by the Roles and Sale Points modules, which both time-box
/// what they give.
/// </summary>
public static class Validity
{
    public static bool Covers(DateTimeOffset? from, DateTimeOffset? until, DateTimeOffset at) =>
        (from is null || at >= from) && (until is null || at < until);

    /// <summary>
    /// Why the window does not cover <paramref name="at"/>, in words for an explanation; null when it does.
    /// </summary>
    public static string? WhyNot(DateTimeOffset? from, DateTimeOffset? until, DateTimeOffset at) =>
        from is { } f && at < f ? $"applies only from {Text(f)}"
        : until is { } u && at >= u ? $"lapsed at {Text(u)}"
        : null;

    /// <summary>" from X until Y" for the words of a change; empty for an open window.</summary>
    public static string Describe(DateTimeOffset? from, DateTimeOffset? until) =>
        (from is { } f ? $" from {Text(f)}" : "") + (until is { } u ? $" until {Text(u)}" : "");

    public static string Text(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'");

    /// <summary>The next instant after <paramref name="now"/> at which a window opens or closes (null: none).</summary>
    public static DateTimeOffset? NextChange(
        DateTimeOffset? current,
        DateTimeOffset? from,
        DateTimeOffset? until,
        DateTimeOffset now
    )
    {
        // Called for every grant of every user a load compiles: two plain tests, no array of the edges.
        if (from is { } f && f > now && (current is null || f < current))
            current = f;
        if (until is { } u && u > now && (current is null || u < current))
            current = u;
        return current;
    }

    /// <summary>An <c>asOf</c> a client sends: time travel goes to the past (or now), never to the future.</summary>
    public static IRuleBuilderOptions<T, DateTimeOffset?> PastInstant<T>(
        this IRuleBuilder<T, DateTimeOffset?> rule,
        TimeProvider clock
    ) => rule.Must(t => t is null || t <= clock.GetUtcNow()).WithMessage("asOf must not be in the future.");

    /// <summary>The rules of a window a client sends: until after from, and not already over.</summary>
    public static void Rules<T>(
        AbstractValidator<T> v,
        Func<T, DateTimeOffset?> from,
        Func<T, DateTimeOffset?> until,
        TimeProvider clock
    )
    {
        v.RuleFor(x => until(x))
            .Must((x, u) => u is null || from(x) is not { } f || u > f)
            .WithMessage("validUntil must be after validFrom.")
            .OverridePropertyName("validUntil");
        v.RuleFor(x => until(x))
            .Must(u => u is null || u > clock.GetUtcNow())
            .WithMessage("validUntil must be in the future.")
            .OverridePropertyName("validUntil");
    }
}
