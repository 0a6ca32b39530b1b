using MediatR;

namespace OrderStream.Modules.Billing.Contracts;

/// <summary>
/// May this user log in to the web office, as far as licenses go? Allowed when the tenant does not enforce licenses, or
/// the user holds a confirmed one. <c>Refusal</c> says why not, for the user.
/// </summary>
public sealed record CheckWebOfficeLicense(Guid UserId) : IRequest<LicenseCheck>;

public sealed record LicenseCheck(bool Allowed, string? Refusal);
