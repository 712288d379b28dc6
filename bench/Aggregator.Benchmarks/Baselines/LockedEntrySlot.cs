using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Baselines;

/// <summary>
/// A slot of the lock-based baseline (metrique's <c>SlotGuard</c>): a sub-record owned by one sub-task, so it is
/// filled without a lock, then flattened into its entry under the entry's lock on <see cref="Complete"/>.
/// </summary>
internal sealed class LockedEntrySlot(LockedEntry entry, string name)
{
    private Dictionary<string, FieldValue>? fields;
    private Dictionary<string, long>? counters;
    private bool completed;

    public void Set(string field, FieldValue value) => (fields ??= new(StringComparer.Ordinal))[field] = value;

    public void Add(string counter, long delta)
    {
        counters ??= new(StringComparer.Ordinal);
        counters[counter] = counters.GetValueOrDefault(counter) + delta;
    }

    public void Complete()
    {
        if (completed) return;
        completed = true;
        entry.Flatten(name, fields, counters);
    }
}
