using System.Globalization;

namespace Aggregator.Benchmarks.CommandLine;

/// <summary>
/// Walks a command's arguments one option at a time and reads its value, so every command rejects a missing or bad
/// value with the same message naming the option (Program prints it above the usage).
/// </summary>
internal sealed class OptionReader(IReadOnlyList<string> args)
{
    private int next;

    /// <summary>The option being read, e.g. <c>--rounds</c>.</summary>
    public string Name { get; private set; } = "";

    /// <summary>Steps to the next option; false when the arguments are used up.</summary>
    public bool MoveNext()
    {
        if (next >= args.Count) return false;
        Name = args[next++];
        return true;
    }

    /// <summary>The argument after the option (consumed).</summary>
    public string Value() => next < args.Count ? args[next++] : throw new ArgumentException($"{Name} needs a value");

    /// <summary>The argument after the option when it is one of <paramref name="accepted"/> (consumed), else null (left for the next option).</summary>
    public string? OptionalValue(params string[] accepted) =>
        next < args.Count && accepted.Contains(args[next], StringComparer.Ordinal) ? args[next++] : null;

    public int PositiveInteger() =>
        int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"{Name} needs a positive integer");

    public int Integer(int min) =>
        int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min ? v : throw new ArgumentException($"{Name} needs an integer >= {min}");

    public double PositiveNumber() =>
        double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"{Name} needs a positive number");

    /// <summary>For the option no case matched: <c>throw reader.Unknown()</c>.</summary>
    public ArgumentException Unknown() => new($"unknown option '{Name}'");
}
