using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderStream.BuildingBlocks.Modules;
using OrderStream.Modules.Identity.Contracts;
using OrderStream.Modules.Roles.Contracts;

namespace OrderStream.Modules.Audit;

/// <summary>
/// The audit log: every module's events read straight from the event store, each module explaining its own
/// (<c>IAuditExplainer</c>) and Identity naming the actors (<c>IAuditNames</c>). Owns no data of its own.
/// Asks Identity: <c>GetUserAccessFacts</c> (whether a user exists, for a history).
/// </summary>
public sealed class AuditModule : IModule
{
    internal const string ViewAuditLog = SecureFeatureCodes.ViewAuditLog;

    public ModuleFlows Flows { get; } = new(Publishes: [], Consumes: [], Asks: [typeof(GetUserAccessFacts)]);

    public void Register(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) { }
}
