namespace OrderStream.Modules.Identity.OnlineStores;

internal sealed record OnlineStoreCreated(Guid Id, DateTimeOffset At, string Code, string Name);

internal sealed record OnlineStoreRenamed(Guid Id, DateTimeOffset At, string Code, string Name);

/// <summary>A tenant's online store, to which Online Store Administrators are assigned (seed 000).</summary>
internal sealed class OnlineStore
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Code { get; set; } = "";
    public string CodeKey { get; set; } = "";
    public string Name { get; set; } = "";

    public static OnlineStore Create(OnlineStoreCreated e) =>
        new()
        {
            Id = e.Id,
            Code = e.Code,
            CodeKey = e.Code.ToLowerInvariant(),
            Name = e.Name,
        };

    public void Apply(OnlineStoreRenamed e) => (Code, CodeKey, Name) = (e.Code, e.Code.ToLowerInvariant(), e.Name);
}

internal sealed record OnlineStoreResponse(string Id, long Version, string Code, string Name)
{
    public static OnlineStoreResponse From(OnlineStore s) => new(s.Id.ToString(), s.Version, s.Code, s.Name);
}

/// <summary>The rules of an online store's fields, the same for creating and editing one.</summary>
internal static class OnlineStoreFields
{
    public static void Rules<T>(AbstractValidator<T> v, Func<T, string> code, Func<T, string> name)
    {
        v.RuleFor(c => code(c))
            .NotEmpty()
            .MaximumLength(32)
            .Matches("^[A-Za-z0-9][A-Za-z0-9_-]*$")
            .WithMessage("Code may hold letters, digits, underscores and hyphens.")
            .OverridePropertyName("code");
        v.RuleFor(c => name(c)).NotEmpty().MaximumLength(200).OverridePropertyName("name");
    }
}
