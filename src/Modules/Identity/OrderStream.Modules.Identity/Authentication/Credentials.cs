using System.Collections.Frozen;
using System.Security.Cryptography;

namespace OrderStream.Modules.Identity.Authentication;

/// <summary>
/// A user's password and PIN hashes, kept out of the event stream so that the audit log never shows them.
/// </summary>
internal sealed class UserCredentials
{
    public Guid Id { get; set; }
    public string? PasswordHash { get; set; }
    public string? PinHash { get; set; }
}

/// <summary>
/// PBKDF2-HMAC-SHA256 with a random salt: deliberately slow (ADR 0005). The iteration count is stored in each hash, so
/// it can be raised later without invalidating existing credentials. PINs have their own, lower cost (<see
/// cref="Pins"/>, ADR 0013): against at most 10^8 PINs the work factor buys an offline attacker little; the lockout is
/// what protects a PIN.
/// </summary>
internal sealed class CredentialHasher(int iterations, int? pinIterations = null)
{
    public const int DefaultIterations = 100_000;
    public const int DefaultPinIterations = 25_000;

    /// <summary>The hasher of POS PINs.</summary>
    public CredentialHasher Pins =>
        field ??= pinIterations is { } p && p != iterations ? new CredentialHasher(p) : this;
    private const int SaltBytes = 16,
        HashBytes = 32;

    // Verified against when the login code is unknown, so that both failures take the same time.
    private readonly Lazy<string> _dummy = new(() => new CredentialHasher(iterations).Hash("not-a-real-credential"));

    public string Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public bool Verify(string secret, string? stored)
    {
        if (stored is null)
        {
            Verify(secret, _dummy.Value);
            return false;
        }
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var rounds))
            return false;
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(
            secret,
            Convert.FromBase64String(parts[2]),
            rounds,
            HashAlgorithmName.SHA256,
            expected.Length
        );
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}

/// <summary>
/// A password: 10 to 128 characters, not the login code or the name with digits or signs around them (the first
/// things a guesser tries: "ppeters-2026!"), and not one of the common passwords shipped with the service
/// (common-passwords.LICENSE.txt says where they come from). Compared without regard to case.
/// </summary>
internal static class PasswordRules
{
    public const int MinLength = 10,
        MaxLength = 128;

    private static readonly FrozenSet<string> Common = ReadCommon();

    public static string? WhyWeak(string? password, string? loginCode, string? firstName, string? lastName)
    {
        if (password is null || password.Length is < MinLength or > MaxLength)
            return $"Password must be {MinLength} to {MaxLength} characters long.";
        var letters = Letters(password);
        if (letters.Length > 0 && letters == Letters(loginCode))
            return "Password must not be the login code: it is among the first a guesser tries.";
        if (
            letters.Length > 0
            && (letters == Letters(firstName + lastName) || letters == Letters(lastName + firstName))
        )
            return "Password must not be the user's name: it is among the first a guesser tries.";
        if (Common.Contains(password))
            return "Password is among the most common passwords, which guessers try first: choose another.";
        return null;
    }

    private static string Letters(string? text) =>
        new((text ?? "").Where(char.IsLetter).Select(char.ToLowerInvariant).ToArray());

    private static FrozenSet<string> ReadCommon()
    {
        using var stream = typeof(PasswordRules).Assembly.GetManifestResourceStream("common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { Length: > 0 } line)
            words.Add(line);
        return words.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>
/// A POS PIN: 4 to 8 digits, and not one a thief tries first: one digit repeated (0000), or a straight run up or down
/// (1234, 9876, 0123). The lockout (5 failures) leaves a guesser 5 tries, so those tries must not hit the usual PINs.
/// </summary>
internal static class PinRules
{
    public static string? WhyWeak(string? pin)
    {
        if (pin is null || pin.Length is < 4 or > 8 || !pin.All(char.IsAsciiDigit))
            return "PIN must be 4 to 8 digits.";
        if (pin.All(c => c == pin[0]))
            return "PIN must not be one digit repeated (such as 0000): it is among the first a thief tries.";
        var step = pin[1] - pin[0];
        if (step is 1 or -1 && pin.Zip(pin.Skip(1)).All(p => p.Second - p.First == step))
            return "PIN must not be a straight run of digits (such as 1234 or 4321): it is among the first a thief "
                + "tries.";
        return null;
    }

    public static IRuleBuilderOptions<T, string> Pin<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(pin => WhyWeak(pin) is null).WithMessage((_, pin) => WhyWeak(pin)!);
}
