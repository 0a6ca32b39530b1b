using System.Diagnostics;
using FluentValidation;
using Marten;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderStream.BuildingBlocks.Cqrs;

public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(new ValidationContext<TRequest>(request), cancellationToken);
            failures.AddRange(result.Errors);
        }
        if (failures.Count > 0) throw new ValidationException(failures);
        return await next();
    }
}

public sealed class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await next();
        }
        finally
        {
            // The request itself is not logged: it may carry passwords or PINs. Checked first: the arguments would be boxed
            // on every request (decisions run tens of thousands per second) only to be thrown away.
            if (logger.IsEnabled(LogLevel.Debug))
                logger.LogDebug("{Request} handled in {Elapsed} ms", typeof(TRequest).FullName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}

/// <summary>
/// Commits the one session of the request after a command succeeded; queries and failures commit nothing. The session is
/// the request's own (scoped), taken only for a command: a query that needs none does not pay for opening one. A command
/// sent while another runs in the same scope (a bulk row giving roles, sale points and a deactivation) joins its
/// transaction: only the outermost commits, so the row is applied whole or not at all.
/// </summary>
public sealed class UnitOfWorkBehavior<TRequest, TResponse>(IServiceProvider services) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommand<TResponse>) return await next();
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
        if (unit.Open == 0) await services.GetRequiredService<IDocumentSession>().SaveChangesAsync(cancellationToken);
        return response;
    }
}

/// <summary>The scope's transaction: how many commands (or bulk rows, <see cref="BulkRows"/>) are under way in it.</summary>
public sealed class UnitOfWork
{
    internal int Open;
}
