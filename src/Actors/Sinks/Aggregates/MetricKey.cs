namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>Which part of an entry a metric comes from; part of its identity, so a field and a counter of one name never mix.</summary>
public enum MetricKind : byte
{
    /// <summary>A numeric field (a number as is, a duration in milliseconds).</summary>
    Field = 1,

    /// <summary>A counter's value at close.</summary>
    Counter = 2,

    /// <summary>A per-entry distribution's observations.</summary>
    Distribution = 3,
}

/// <summary>
/// A metric's identity inside a partial aggregate: its kind and its name. Names alone would collide when one name is a
/// field in some entries and a counter in others; keeping the kind apart avoids both mixing them and order-dependent
/// renaming.
/// </summary>
public readonly record struct MetricKey(MetricKind Kind, string Name) : IComparable<MetricKey>
{
    /// <summary>Kind, then name (ordinal): the order the codec writes and queries report.</summary>
    public int CompareTo(MetricKey other)
    {
        var byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Name}";
}
