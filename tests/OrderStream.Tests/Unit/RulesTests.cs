using FsCheck;
using FsCheck.Xunit;
using OrderStream.BuildingBlocks.Web;
using OrderStream.Modules.Identity.Authentication;
using OrderStream.Modules.Identity.Users;
using Xunit;

namespace OrderStream.Tests.Unit;

public sealed class RulesTests
{
    [Theory]
    [InlineData("Jürgen  Müller", "jurgen muller")]
    [InlineData("  ZOË\tŠimić ", "zoe simic")]
    [InlineData("Ångström", "angstrom")]
    [InlineData("", "")]
    public void Search_keys_are_lower_case_without_accents_with_white_space_collapsed(string text, string key) =>
        Assert.Equal(key, User.SearchKey(text));

    [Property]
    public bool Search_keys_are_idempotent(NonNull<string> text) =>
        User.SearchKey(User.SearchKey(text.Get)) == User.SearchKey(text.Get);

    [Fact]
    public void A_hash_verifies_only_its_own_secret_and_never_repeats()
    {
        var hasher = new CredentialHasher(1000);
        var hash = hasher.Hash("correct-horse");
        Assert.True(hasher.Verify("correct-horse", hash));
        Assert.False(hasher.Verify("correct-horsf", hash));
        Assert.False(hasher.Verify("correct-horse", null));
        Assert.False(hasher.Verify("correct-horse", "garbage"));
        Assert.NotEqual(hash, hasher.Hash("correct-horse"));
        Assert.StartsWith("pbkdf2-sha256$1000$", hash);
    }

    [Fact]
    public void A_hash_keeps_its_own_iteration_count_so_the_cost_can_be_raised_later()
    {
        var old = new CredentialHasher(1000).Hash("1234");
        Assert.True(new CredentialHasher(5000).Verify("1234", old));
    }

    [Fact]
    public void Pins_are_hashed_at_their_own_cost_and_either_hasher_verifies_either_hash()
    {
        var hasher = new CredentialHasher(1000, 300);
        var pin = hasher.Pins.Hash("4826");
        Assert.StartsWith("pbkdf2-sha256$300$", pin);
        Assert.StartsWith("pbkdf2-sha256$1000$", hasher.Hash("4826"));
        Assert.True(hasher.Verify("4826", pin));
        Assert.False(hasher.Pins.Verify("4827", pin));
        var single = new CredentialHasher(1000);
        Assert.Same(single, single.Pins);
    }

    [Theory]
    [InlineData("4826", null)]
    [InlineData("25801", null)]
    [InlineData("13579", null)]
    [InlineData("0000", "repeated")]
    [InlineData("99999999", "repeated")]
    [InlineData("1234", "straight run")]
    [InlineData("3210", "straight run")]
    [InlineData("56789", "straight run")]
    [InlineData("123", "4 to 8 digits")]
    [InlineData("123456789", "4 to 8 digits")]
    [InlineData("12 4", "4 to 8 digits")]
    [InlineData("١٢٣٥", "4 to 8 digits")]
    public void Pin_rules_refuse_short_long_non_digit_repeated_and_straight_run_pins(string pin, string? why)
    {
        var answer = PinRules.WhyWeak(pin);
        if (why is null)
            Assert.Null(answer);
        else
            Assert.Contains(why, answer);
    }

    [Fact]
    public void The_login_guard_counts_failures_through_locks_and_a_success_resets_them_and_remembers_the_address()
    {
        var guard = new LoginGuard();
        var at = DateTimeOffset.UnixEpoch;
        guard.Apply(new LoginFailed(Guid.Empty, at, "web-office", 1, "10.0.0.2"));
        guard.Apply(new LoginFailed(Guid.Empty, at, "web-office", 2, "10.0.0.2"));
        Assert.Equal(2, guard.ConsecutiveFailures);
        // A lock does not start the count again: the next failure after it locks longer (ADR 0021).
        guard.Apply(new LoginLockedOut(Guid.Empty, at, "web-office", at.AddSeconds(30)));
        Assert.Equal((2, at.AddSeconds(30)), (guard.ConsecutiveFailures, guard.LockedUntil));
        Assert.Equal(["10.0.0.2"], guard.FailedAddresses);
        guard.Apply(new LoginSucceeded(Guid.Empty, at.AddHours(1), "web-office", "10.0.0.1"));
        Assert.Equal(
            (0, at.AddHours(1), (DateTimeOffset?)null),
            (guard.ConsecutiveFailures, guard.LastLoginAt, guard.LockedUntil)
        );
        Assert.Equal(["10.0.0.1"], guard.KnownAddresses);
        Assert.Empty(guard.FailedAddresses);
        for (var i = 2; i <= 7; i++)
            guard.Apply(new LoginSucceeded(Guid.Empty, at, "pos", $"10.0.0.{i}"));
        guard.Apply(new LoginSucceeded(Guid.Empty, at, "pos", "10.0.0.5"));
        Assert.Equal(["10.0.0.5", "10.0.0.7", "10.0.0.6", "10.0.0.4", "10.0.0.3"], guard.KnownAddresses);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("Zeller, Jr.", "\"Zeller, Jr.\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData(null, "")]
    public void Csv_fields_are_quoted_and_formulas_defused(string? field, string expected) =>
        Assert.Equal(expected + "\r\n", Csv.Line(field));

    [Fact]
    public void Needs_assignment_holds_for_an_active_pc_or_ae_without_links_only()
    {
        var at = DateTimeOffset.UnixEpoch;
        var contact = new Contact(null, null, null, null, null, null);
        User Make(BackOfficeUserType? type) =>
            User.Create(
                new UserRegistered(
                    Guid.NewGuid(),
                    at,
                    "t",
                    "A",
                    "B",
                    null,
                    "ab",
                    "en",
                    contact,
                    true,
                    false,
                    Profile.None with
                    {
                        Type = type,
                    }
                )
            );
        Assert.True(Make(BackOfficeUserType.ProductionCoordinator).NeedsAssignment);
        Assert.True(Make(BackOfficeUserType.AccountExecutive).NeedsAssignment);
        Assert.False(Make(BackOfficeUserType.BusinessGroupManager).NeedsAssignment);
        Assert.False(Make(null).NeedsAssignment);
        var pc = Make(BackOfficeUserType.ProductionCoordinator);
        pc.Apply(new CounterpartLinked(pc.Id, Guid.NewGuid(), at));
        Assert.False(pc.NeedsAssignment);
        var lone = Make(BackOfficeUserType.AccountExecutive);
        lone.Apply(new UserDeactivated(lone.Id, at, "t", null, "A B"));
        Assert.False(lone.NeedsAssignment);
    }
}
