using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>A runtime-swappable value entries snapshot (metrique's <c>State</c>); the non-generic face the entry reads.</summary>
public interface ISharedState
{
    /// <summary>The field name the snapshot is recorded under.</summary>
    string Name { get; }

    /// <summary>The value current now, as a field value.</summary>
    FieldValue Read();
}

/// <summary>
/// A value the service swaps at runtime (say, a config version). Each entry records the value current when it
/// first read it, so an entry that straddles a swap reports one consistent version. Reads and swaps are lock-free.
/// </summary>
public sealed class SharedState<T> : ISharedState
{
    private readonly Func<T, FieldValue> toField;
    private StrongBox current;

    public SharedState(string name, T initial, Func<T, FieldValue> toField)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(toField);
        Name = name;
        this.toField = toField;
        current = new StrongBox(initial, 0);
    }

    public string Name { get; }

    public T Current => Volatile.Read(ref current).Value;

    /// <summary>How many swaps happened; useful in tests and logs.</summary>
    public long Version => Volatile.Read(ref current).Version;

    /// <summary>Makes <paramref name="value"/> what entries opened from now on record.</summary>
    public void Swap(T value)
    {
        while (true)
        {
            var seen = Volatile.Read(ref current);
            if (Interlocked.CompareExchange(ref current, new StrongBox(value, seen.Version + 1), seen) == seen) return;
        }
    }

    public FieldValue Read() => toField(Current);

    private sealed record StrongBox(T Value, long Version);
}
