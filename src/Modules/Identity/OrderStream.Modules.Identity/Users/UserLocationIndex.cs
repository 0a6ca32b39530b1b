using OrderStream.BuildingBlocks.Contracts;
using OrderStream.BuildingBlocks.Events;
using OrderStream.Modules.SalePoints.Contracts;

namespace OrderStream.Modules.Identity.Users;

/// <summary>
/// The user list's knowledge of users' sale points and stores (the hover data of each row; the filter uses <see
/// cref="UserSalePointsTable"/>): read models of Identity's own, fed by the Sale Points module's events, so the list
/// never reads that module's documents (ADR 0012).
/// </summary>
internal sealed class UserLocationIndex
{
    public Guid Id { get; set; }
    public Guid[] SalePointIds { get; set; } = [];
    public Guid[] StoreIds { get; set; } = [];
}

/// <summary>A sale point or store as the list shows it.</summary>
internal sealed class KnownLocation
{
    public Guid Id { get; set; }
    public bool IsStore { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public bool IsActive { get; set; } = true;
}
