using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderStream.BuildingBlocks.Errors;
using OrderStream.BuildingBlocks.Tenancy;
using OrderStream.BuildingBlocks.Web;

namespace OrderStream.BuildingBlocks.Cqrs;

/// <summary>
/// Bulk changes (issue #6): each row runs in a scope of its own, for the request's tenant and caller, and every command
/// it sends, whatever module answers it, joins the row's one transaction. A row is committed whole or not at all; a dry
/// run goes through every rule of a real one and then throws the changes away. A refused row answers with the problem
/// details a single request would have had, and the rows after it go on.
/// </summary>
public sealed class BulkRows(
    IServiceScopeFactory scopes,
    TenantContext tenant,
    ActorContext actor,
    ILogger<BulkRows> logger
)
{
    public const int MaxRows = 1000;

    /// <summary>
    /// <paramref name="row"/> answers the user it created or changed and the changes, in words (none: already so).
    /// </summary>
    public async Task<RowResult> RunAsync(
        int number,
        Guid? userId,
        bool dryRun,
        Func<IServiceProvider, CancellationToken, Task<(Guid UserId, IReadOnlyList<string> Changes)>> row,
        CancellationToken ct
    )
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<TenantContext>().Set(tenant.Tenant);
        var rowActor = services.GetRequiredService<ActorContext>();
        (rowActor.User, rowActor.SystemActor, rowActor.CorrelationId, rowActor.CausationId) = (
            actor.User,
            actor.SystemActor,
            actor.CorrelationId,
            actor.CausationId
        );
        var unit = services.GetRequiredService<UnitOfWork>();
        unit.Open++; // the row's commands leave the commit to the row
        unit.DryRun = dryRun;
        try
        {
            var (id, changes) = await row(services, ct);
            if (!dryRun)
                await services.GetRequiredService<IDocumentSession>().SaveChangesAsync(ct);
            var outcome =
                changes.Count == 0 ? RowOutcome.Unchanged
                : dryRun ? RowOutcome.WouldApply
                : RowOutcome.Applied;
            // A dry run's new user is never stored: its id would name nobody.
            return new RowResult(number, dryRun && userId is null ? null : id.ToString(), outcome, changes, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var problem = ProblemDetailsExceptionHandler.Map(e);
            if (problem.Status == StatusCodes.Status500InternalServerError)
                logger.LogError(
                    Errors.LoggedException.Safe(e),
                    "Bulk row {Row} failed unexpectedly, correlation id {CorrelationId}",
                    number,
                    actor.CorrelationId
                );
            var errors =
                problem is HttpValidationProblemDetails validation ? validation.Errors
                : problem.Extensions.TryGetValue("errors", out var field) ? field as IDictionary<string, string[]>
                : null;
            return new RowResult(
                number,
                userId?.ToString(),
                RowOutcome.Failed,
                [],
                new RowProblem(problem.Status ?? 500, problem.Title ?? "", problem.Detail ?? "", errors?.ToDictionary())
            );
        }
        finally
        {
            unit.Open--;
        }
    }

    public static BulkResult Summary(bool dryRun, IReadOnlyList<RowResult> rows) =>
        new(
            dryRun,
            rows.Count,
            rows.Count(r => r.Outcome is RowOutcome.Applied or RowOutcome.WouldApply),
            rows.Count(r => r.Outcome == RowOutcome.Unchanged),
            rows.Count(r => r.Outcome == RowOutcome.Failed),
            rows
        );
}

public enum RowOutcome
{
    Applied,
    WouldApply,
    Unchanged,
    Failed,
}

/// <summary>
/// One row: the user (null for a new user in a dry run, or a row that failed before naming one), what changed or would.
/// </summary>
public sealed record RowResult(
    int Row,
    string? UserId,
    RowOutcome Outcome,
    IReadOnlyList<string> Changes,
    RowProblem? Problem
);

/// <summary>
/// Why a row was refused: the status and problem details a single request would have answered, with the fields named.
/// </summary>
public sealed record RowProblem(int Status, string Title, string Detail, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary><c>Changed</c> counts the rows applied (or that would be, in a dry run).</summary>
public sealed record BulkResult(
    bool DryRun,
    int Rows,
    int Changed,
    int Unchanged,
    int Failed,
    IReadOnlyList<RowResult> Results
);
