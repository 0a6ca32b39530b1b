using System.Diagnostics;
using FluentValidation;
using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderStream.BuildingBlocks.Cqrs;

/// <summary>
/// Refuses text with a NUL character anywhere in the request (<see cref="TextWithoutNul"/>), then validates
/// synchronously: no rule here reads anything (rules that need data, like uniqueness, are the handlers'), and
/// FluentValidation refuses loudly, on the first request, a rule that would need to wait. Not awaiting anything, the
/// behaviour hands the next step's task straight back (decisions run tens of thousands per second).
/// </summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(
        TRequest request,
        CancellationToken cancellationToken,
        RequestHandlerDelegate<TResponse> next
    )
    {
        if (request is not null && TextWithoutNul.FieldWithNul(request) is { } field)
            throw new ValidationException([
                new FluentValidation.Results.ValidationFailure(field, "The value must not contain a NUL character."),
            ]);
        List<FluentValidation.Results.ValidationFailure>? failures = null;
        foreach (var validator in validators)
            if (validator.Validate(new ValidationContext<TRequest>(request)) is { IsValid: false } result)
                (failures ??= []).AddRange(result.Errors);
        return failures is null ? next() : throw new ValidationException(failures);
    }
}

internal sealed class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(
        TRequest request,
        CancellationToken cancellationToken,
        RequestHandlerDelegate<TResponse> next
    ) =>
        // Checked first: timing and the boxed arguments would cost every request (decisions run tens of thousands per
        // second) only to be thrown away.
        logger.IsEnabled(LogLevel.Debug)
            ? Timed(next)
            : next();

    private async Task<TResponse> Timed(RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await next();
        }
        finally
        {
            // The request itself is not logged: it may carry passwords or PINs.
            logger.LogDebug(
                "{Request} handled in {Elapsed} ms",
                typeof(TRequest).FullName,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds
            );
        }
    }
}

/// <summary>
/// Commits the one session of the request after a command succeeded; queries and failures commit nothing. The session
/// is the request's own (scoped), taken only for a command: a query that needs none does not pay for opening one. A
/// command sent while another runs in the same scope (a bulk row giving roles, sale points and a deactivation) joins
/// its transaction: only the outermost commits, so the row is applied whole or not at all.
/// </summary>
internal sealed class UnitOfWorkBehavior<TRequest, TResponse>(IServiceProvider services)
    : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(
        TRequest request,
        CancellationToken cancellationToken,
        RequestHandlerDelegate<TResponse> next
    ) => request is ICommand<TResponse> ? Commit(next, cancellationToken) : next();

    private async Task<TResponse> Commit(RequestHandlerDelegate<TResponse> next, CancellationToken cancellationToken)
    {
        var unit = services.GetRequiredService<UnitOfWork>();
        TResponse response;
        unit.Open++;
        try
        {
            response = await next();
        }
        finally
        {
            unit.Open--;
        }
        if (unit.Open == 0)
            await services.GetRequiredService<IDocumentSession>().SaveChangesAsync(cancellationToken);
        return response;
    }
}

/// <summary>
/// The scope's transaction: how many commands (or bulk rows, <see cref="BulkRows"/>) are under way in it.
/// </summary>
public sealed class UnitOfWork
{
    internal int Open;

    /// <summary>A bulk dry run: its changes are thrown away, and nothing it meets is recorded either.</summary>
    public bool DryRun { get; internal set; }

    /// <summary>
    /// Users created in this transaction (an imported row): they hold nothing yet, so who-may-change-whom has nothing
    /// to weigh, and asking the decision engine about a user it cannot read yet would cost a reload per row.
    /// </summary>
    public HashSet<Guid> CreatedUsers { get; } = [];
}
