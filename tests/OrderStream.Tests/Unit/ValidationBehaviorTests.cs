using FluentValidation;
using OrderStream.BuildingBlocks.Cqrs;
using Xunit;

namespace OrderStream.Tests.Unit;

/// <summary>
/// The pipeline's validation step: it validates synchronously and passes the next step's task on untouched.
/// </summary>
public sealed class ValidationBehaviorTests
{
    private sealed record Rename(string? Name) : MediatR.IRequest<string>;

    private sealed class NameRequired : AbstractValidator<Rename>
    {
        public NameRequired() => RuleFor(r => r.Name).NotEmpty();
    }

    private sealed class NameShort : AbstractValidator<Rename>
    {
        public NameShort() => RuleFor(r => r.Name).MaximumLength(3);
    }

    private sealed class NameLooksUp : AbstractValidator<Rename>
    {
        public NameLooksUp() =>
            RuleFor(r => r.Name)
                .MustAsync(
                    async (_, ct) =>
                    {
                        await Task.Yield();
                        return true;
                    }
                );
    }

    [Fact]
    public async Task A_valid_request_gets_the_next_steps_own_task()
    {
        var next = Task.FromResult("renamed");
        var handled = new ValidationBehavior<Rename, string>([new NameRequired(), new NameShort()]).Handle(
            new Rename("Ann"),
            CancellationToken.None,
            () => next
        );
        Assert.Same(next, handled);
        Assert.Equal("renamed", await handled);
    }

    [Fact]
    public async Task An_invalid_request_names_every_failing_field_of_every_validator_and_goes_no_further()
    {
        var called = false;
        var refused = await Assert.ThrowsAsync<ValidationException>(() =>
            new ValidationBehavior<Rename, string>([new NameRequired(), new NameShort()]).Handle(
                new Rename(""),
                CancellationToken.None,
                () =>
                {
                    called = true;
                    return Task.FromResult("");
                }
            )
        );
        Assert.False(called);
        Assert.Equal(["Name"], refused.Errors.Select(e => e.PropertyName));

        refused = await Assert.ThrowsAsync<ValidationException>(() =>
            new ValidationBehavior<Rename, string>([new NameShort(), new NameShort()]).Handle(
                new Rename("Annabel"),
                CancellationToken.None,
                () => Task.FromResult("")
            )
        );
        Assert.Equal(2, refused.Errors.Count());
    }

    // The behaviour's promise that a rule needing to wait is refused on its first request, not quietly skipped.
    [Fact]
    public async Task A_rule_that_would_wait_is_refused_loudly()
    {
        await Assert.ThrowsAsync<AsyncValidatorInvokedSynchronouslyException>(() =>
            new ValidationBehavior<Rename, string>([new NameLooksUp()]).Handle(
                new Rename("Ann"),
                CancellationToken.None,
                () => Task.FromResult("")
            )
        );
    }
}
