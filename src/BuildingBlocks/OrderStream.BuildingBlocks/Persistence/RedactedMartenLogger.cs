using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderStream.BuildingBlocks.Persistence;

/// <summary>
/// Marten's own logger writes a failed statement with its parameter values (users' documents, credentials' hashes) and
/// PostgreSQL's message, which may quote them. This one writes what failed and why in codes only (issue #18).
/// </summary>
internal sealed class RedactedMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Executed schema update SQL:\n{SQL}", sql);

    public void LogSuccess(NpgsqlCommand command) { }

    public void LogSuccess(NpgsqlBatch batch) { }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failed(ex);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failed(ex);

    public void LogFailure(Exception ex, string message) => Failed(ex);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }

    private void Failed(Exception ex) =>
        logger.LogWarning("A database statement failed: {Failure}", Errors.LoggedException.Describe(ex));
}
