using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// The canonical text of a dimension dictionary (<see cref="Persistence.AggregateKey.DimensionsKey"/>): the same
/// dimensions in any order give the same key, and different dimensions never do, so partial aggregates of one
/// dimension set from every shard and window land on one key.
/// </summary>
/// <remarks>
/// Format: <c>name=value</c> pairs sorted by name (ordinal), joined by <c>;</c>, with <c>\</c>, <c>=</c> and <c>;</c>
/// escaped by a preceding <c>\</c>. The escaping makes the key parse back unambiguously (<see cref="TryParse"/>),
/// which is what rules out collisions. No dimensions is the empty string.
/// </remarks>
public sealed class DimensionSet : IEquatable<DimensionSet>
{
    private DimensionSet(string key, IReadOnlyDictionary<string, string> dimensions)
    {
        Key = key;
        Dimensions = dimensions;
    }

    /// <summary>The set with no dimensions.</summary>
    public static DimensionSet Empty { get; } = new("", new SortedDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The canonical key.</summary>
    public string Key { get; }

    /// <summary>The dimensions, sorted by name (ordinal).</summary>
    public IReadOnlyDictionary<string, string> Dimensions { get; }

    public static DimensionSet Of(IReadOnlyDictionary<string, string> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Count == 0) return Empty;
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in dimensions) sorted.Add(name, value);
        var key = new StringBuilder();
        foreach (var (name, value) in sorted)
        {
            if (key.Length > 0) key.Append(';');
            AppendEscaped(key, name);
            key.Append('=');
            AppendEscaped(key, value);
        }
        return new DimensionSet(key.ToString(), sorted);
    }

    /// <summary>Reads a key back into its dimensions; false for text no <see cref="Of"/> could have produced.</summary>
    public static bool TryParse(string key, [NotNullWhen(true)] out DimensionSet? set)
    {
        ArgumentNullException.ThrowIfNull(key);
        set = null;
        if (key.Length == 0)
        {
            set = Empty;
            return true;
        }
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var current = new StringBuilder();
        string? name = null;
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c == '\\')
            {
                if (++i == key.Length) return false;
                current.Append(key[i]);
            }
            else if (c == '=')
            {
                if (name is not null) return false;
                name = current.ToString();
                current.Clear();
            }
            else if (c == ';')
            {
                if (name is null || !sorted.TryAdd(name, current.ToString())) return false;
                name = null;
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        if (name is null || !sorted.TryAdd(name, current.ToString())) return false;
        var parsed = Of(sorted);
        if (parsed.Key != key) return false; // not canonical (e.g. unsorted or needlessly escaped)
        set = parsed;
        return true;
    }

    /// <summary>Only the named dimensions this set has (the group of a query that groups by them).</summary>
    public DimensionSet Project(IReadOnlyCollection<string> names)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
            if (Dimensions.TryGetValue(name, out var value)) kept[name] = value;
        return Of(kept);
    }

    public bool Equals(DimensionSet? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as DimensionSet);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public override string ToString() => Key;

    private static void AppendEscaped(StringBuilder key, string text)
    {
        foreach (var c in text)
        {
            if (c is '\\' or '=' or ';') key.Append('\\');
            key.Append(c);
        }
    }
}
