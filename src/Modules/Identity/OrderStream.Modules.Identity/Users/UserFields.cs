using System.Globalization;
using OrderStream.Modules.Identity.Authentication;

namespace OrderStream.Modules.Identity.Users;

/// <summary>The editable fields of a user, shared by create (POST) and replace (PUT) so both validate alike.</summary>
internal interface IUserFields
{
    string FirstName { get; }
    string LastName { get; }
    string? Email { get; }
    string LoginCode { get; }
    string? Language { get; }
    ContactBody? Contact { get; }
    string? Password { get; }
    string? Pin { get; }
    BackOfficeUserType? Type { get; }
    IReadOnlyList<string>? AccountExecutiveIds { get; }
    IReadOnlyList<string>? ProductionCoordinatorIds { get; }
    string? SalespersonId { get; }
    string? OnlineStoreId { get; }
    OsaAccessMode? AccessMode { get; }
    IReadOnlyList<string>? ReportCodes { get; }
}

internal sealed record ContactBody(
    string? Phone,
    string? Mobile,
    IReadOnlyList<string>? AddressLines,
    string? PostalCode,
    string? City,
    string? Country
)
{
    public Contact ToContact() =>
        new(
            Phone?.Trim(),
            Mobile?.Trim(),
            AddressLines?.Select(l => l.Trim()).ToList(),
            PostalCode?.Trim(),
            City?.Trim(),
            Country?.Trim().ToUpperInvariant()
        );
}

internal static class Catalogues
{
    public static readonly string[] Languages =
    [
        "en",
        "de",
        "fr",
        "it",
        "es",
        "pt",
        "nl",
        "pl",
        "cs",
        "sk",
        "sl",
        "hr",
        "sr",
        "hu",
    ];

    /// <summary>
    /// The reports an Online Store Administrator may be given (seed 000 names none, so this fixed list stands in).
    /// </summary>
    public static readonly string[] Reports =
    [
        "sales-summary",
        "orders-by-status",
        "open-orders",
        "invoices",
        "receivables-aging",
        "product-sales",
        "customer-list",
    ];

    public static readonly HashSet<string> Countries = CultureInfo
        .GetCultures(CultureTypes.SpecificCultures)
        .Select(c =>
        {
            try
            {
                return new RegionInfo(c.Name).TwoLetterISORegionName;
            }
            catch (ArgumentException)
            {
                return null;
            }
        })
        .Where(c => c is { Length: 2 })
        .Select(c => c!)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);
}

internal class UserFieldsValidator<T> : AbstractValidator<T>
    where T : IUserFields
{
    // Printed on invoices and purchase orders (seeds 000, 002): letters of any script, spaces and common punctuation
    // only.
    private const string NamePattern = @"^[\p{L}\p{M}][\p{L}\p{M} .,'\-]*$";
    private const string PhonePattern = @"^\+?[0-9][0-9 ()\-/]{4,24}$";

    public UserFieldsValidator()
    {
        RuleFor(u => u.FirstName)
            .NotEmpty()
            .MaximumLength(100)
            .Matches(NamePattern)
            .WithMessage("First name may hold letters, spaces, dots, commas, apostrophes and hyphens.");
        RuleFor(u => u.LastName)
            .NotEmpty()
            .MaximumLength(100)
            .Matches(NamePattern)
            .WithMessage("Last name may hold letters, spaces, dots, commas, apostrophes and hyphens.");
        RuleFor(u => u.Email).EmailAddress().MaximumLength(254).When(u => u.Email is not null);
        RuleFor(u => u.LoginCode)
            .NotEmpty()
            .Length(2, 64)
            .Matches(@"^[A-Za-z0-9._@\-]+$")
            .WithMessage("Login code may hold letters, digits, dots, underscores, @ and hyphens.");
        RuleFor(u => u.Language)
            .Must(l => l is null || Catalogues.Languages.Contains(l))
            .WithMessage($"Language must be one of: {string.Join(", ", Catalogues.Languages)}.");
        RuleFor(u => u.Password)
            .Must((u, password) => PasswordRules.WhyWeak(password, u.LoginCode, u.FirstName, u.LastName) is null)
            .WithMessage((u, password) => PasswordRules.WhyWeak(password, u.LoginCode, u.FirstName, u.LastName))
            .When(u => u.Password is not null);
        RuleFor(u => u.Pin!).Pin().When(u => u.Pin is not null);
        When(
            u => u.Contact is not null,
            () =>
            {
                RuleFor(u => u.Contact!.Phone)
                    .Matches(PhonePattern)
                    .WithMessage("Phone must be a phone number such as +43 1 234 5678.")
                    .When(u => !string.IsNullOrEmpty(u.Contact!.Phone));
                RuleFor(u => u.Contact!.Mobile)
                    .Matches(PhonePattern)
                    .WithMessage("Mobile must be a phone number such as +43 664 123 4567.")
                    .When(u => !string.IsNullOrEmpty(u.Contact!.Mobile));
                RuleFor(u => u.Contact!.AddressLines)
                    .Must(l => l!.Count <= 4)
                    .WithMessage("At most 4 address lines.")
                    .When(u => u.Contact!.AddressLines is not null);
                RuleForEach(u => u.Contact!.AddressLines).NotEmpty().MaximumLength(100);
                RuleFor(u => u.Contact!.PostalCode)
                    .Matches(@"^[A-Za-z0-9][A-Za-z0-9 \-]{1,9}$")
                    .WithMessage("Postal code must be 2 to 10 letters, digits, spaces or hyphens.")
                    .When(u => !string.IsNullOrEmpty(u.Contact!.PostalCode));
                RuleFor(u => u.Contact!.City)
                    .MaximumLength(100)
                    .Matches(NamePattern)
                    .WithMessage("City may hold letters, spaces, dots, commas, apostrophes and hyphens.")
                    .When(u => !string.IsNullOrEmpty(u.Contact!.City));
                RuleFor(u => u.Contact!.Country)
                    .Must(c => Catalogues.Countries.Contains(c!))
                    .WithMessage("Country must be an ISO 3166 two-letter code such as AT.")
                    .When(u => !string.IsNullOrEmpty(u.Contact!.Country));
            }
        );

        // Each profile field belongs to one back-office user type (seed 000).
        RuleFor(u => u.AccountExecutiveIds)
            .Empty()
            .WithMessage("Only a production coordinator has account executives.")
            .When(u => u.Type != BackOfficeUserType.ProductionCoordinator);
        RuleForEach(u => u.AccountExecutiveIds).Must(BeAnId).WithMessage("Each account executive must be a user id.");
        RuleFor(u => u.ProductionCoordinatorIds)
            .Empty()
            .WithMessage("Only an account executive has production coordinators.")
            .When(u => u.Type != BackOfficeUserType.AccountExecutive);
        RuleForEach(u => u.ProductionCoordinatorIds)
            .Must(BeAnId)
            .WithMessage("Each production coordinator must be a user id.");
        RuleFor(u => u.SalespersonId)
            .Null()
            .WithMessage("Only an account executive has a salesperson ID.")
            .When(u => u.Type != BackOfficeUserType.AccountExecutive);
        RuleFor(u => u.SalespersonId).NotEmpty().MaximumLength(41).When(u => u.SalespersonId is not null);
        When(
                u => u.Type == BackOfficeUserType.OnlineStoreAdministrator,
                () =>
                {
                    RuleFor(u => u.OnlineStoreId)
                        .NotEmpty()
                        .WithMessage("An online store administrator needs exactly one online store.")
                        .Must(id => BeAnId(id!))
                        .WithMessage("Online store must be an online store id.");
                    RuleFor(u => u.AccessMode).NotNull().WithMessage("Choose full store access or reports only.");
                    RuleFor(u => u.ReportCodes)
                        .NotEmpty()
                        .WithMessage("Choose at least one report for reports-only access.")
                        .When(u => u.AccessMode == OsaAccessMode.ReportsOnly);
                    RuleForEach(u => u.ReportCodes)
                        .Must(r => Catalogues.Reports.Contains(r))
                        .WithMessage($"Report must be one of: {string.Join(", ", Catalogues.Reports)}.");
                }
            )
            .Otherwise(() =>
            {
                RuleFor(u => u.OnlineStoreId)
                    .Null()
                    .WithMessage("Only an online store administrator has an online store.");
                RuleFor(u => u.AccessMode).Null().WithMessage("Only an online store administrator has an access mode.");
                RuleFor(u => u.ReportCodes).Empty().WithMessage("Only an online store administrator has reports.");
            });
    }

    private static bool BeAnId(string id) => Guid.TryParse(id, out _);
}
