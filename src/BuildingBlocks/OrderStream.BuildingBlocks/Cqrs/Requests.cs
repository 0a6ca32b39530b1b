using MediatR;

namespace OrderStream.BuildingBlocks.Cqrs;

/// <summary>A change. The unit-of-work behaviour commits the request's Marten session once after the handler.</summary>
public interface ICommand<out TResponse> : IRequest<TResponse>;

/// <summary>A read. Never commits.</summary>
public interface IQuery<out TResponse> : IRequest<TResponse>;
