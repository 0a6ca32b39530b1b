namespace OrderStream.Modules.Roles.Contracts;

/// <summary>
/// The secure features that the service's own endpoints and rules name. The catalogue (the Roles module's
/// <c>secure-features.json</c>) holds every feature; a test holds these to it.
/// </summary>
public static class SecureFeatureCodes
{
    public const string BackOfficeUsers = "may-access-back-office-users";
    public const string MaintainEmployeeData = "can-maintain-employee-data";
    public const string MaintainUserRoles = "can-maintain-user-roles";
    public const string ListBackOfficeUsers = "can-list-back-office-users";
    public const string MaintainLocations = "can-maintain-locations";
    public const string ViewBilling = "can-view-billing";
    public const string ManageBilling = "can-manage-billing";
    public const string ViewAuditLog = "can-view-audit-log";
    public const string CheckAuthorization = "can-check-authorization";
    public const string SystemManager = "is-system-manager";
    public const string PosLogin = "pos-login";
}
