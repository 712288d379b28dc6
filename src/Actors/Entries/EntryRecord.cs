using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// The data an entry (or a slot's sub-record) accumulates: fields (last write wins), counters (sums),
/// distributions and stopwatch timers. Plain single-threaded state: only its actor touches it.
/// </summary>
internal sealed class EntryRecord(int maxRetainedObservations)
{
    private Dictionary<string, FieldValue>? fields;
    private Dictionary<string, long>? counters;
    private Dictionary<string, Distribution>? distributions;
    private Dictionary<string, Stopwatch>? timers;

    public bool IsEmpty => fields is null && counters is null && distributions is null && timers is null;

    public void Set(string field, FieldValue value) => (fields ??= new(StringComparer.Ordinal))[field] = value;

    public void Add(string counter, long delta)
    {
        counters ??= new(StringComparer.Ordinal);
        counters[counter] = counters.GetValueOrDefault(counter) + delta;
    }

    public void Observe(string distribution, double value, FieldUnit unit) =>
        DistributionFor(distribution, unit).Observe(value);

    public void StartTimer(string timer, DateTimeOffset at)
    {
        timers ??= new(StringComparer.Ordinal);
        if (!timers.TryGetValue(timer, out var watch)) timers[timer] = watch = new Stopwatch();
        watch.StartedAt ??= at;
    }

    /// <summary>Stops a running timer; false if it was not running (nothing to stop).</summary>
    public bool StopTimer(string timer, DateTimeOffset at)
    {
        if (timers is null || !timers.TryGetValue(timer, out var watch) || watch.StartedAt is not { } started) return false;
        watch.Elapsed += Max(at - started, TimeSpan.Zero);
        watch.StartedAt = null;
        return true;
    }

    /// <summary>Copies a completed slot's sub-record into this one under <c>prefix.name</c> (metrique's flatten).</summary>
    public void Flatten(string prefix, EntryRecord slot, DateTimeOffset now)
    {
        slot.StopAllTimers(now);
        CopyFrom(slot, prefix + ".");
    }

    /// <summary>Takes in another record of the same sub-record under the same names (a slot handle's writes).</summary>
    public void Absorb(EntryRecord other) => CopyFrom(other, "");

    private void CopyFrom(EntryRecord other, string prefix)
    {
        if (other.fields is not null) foreach (var (name, value) in other.fields) Set(prefix + name, value);
        if (other.counters is not null) foreach (var (name, value) in other.counters) Add(prefix + name, value);
        if (other.distributions is not null)
            foreach (var (name, value) in other.distributions) DistributionFor(prefix + name, value.Unit).Merge(value);
        if (other.timers is not null) foreach (var (name, watch) in other.timers) Set(prefix + name, FieldValue.Of(watch.Elapsed));
    }

    /// <summary>Stops every running timer at close; timers become duration fields.</summary>
    public void StopAllTimers(DateTimeOffset at)
    {
        if (timers is null) return;
        foreach (var name in timers.Keys) StopTimer(name, at);
    }

    public IReadOnlyDictionary<string, FieldValue> ClosedFields()
    {
        if (timers is not null) foreach (var (name, watch) in timers) Set(name, FieldValue.Of(watch.Elapsed));
        return fields ?? Empty<FieldValue>.Dictionary;
    }

    public IReadOnlyDictionary<string, long> ClosedCounters() => counters ?? Empty<long>.Dictionary;

    public IReadOnlyDictionary<string, DistributionSummary> ClosedDistributions(IReadOnlyList<double> quantiles)
    {
        if (distributions is null) return Empty<DistributionSummary>.Dictionary;
        var result = new Dictionary<string, DistributionSummary>(distributions.Count, StringComparer.Ordinal);
        foreach (var (name, distribution) in distributions) result[name] = distribution.Summarise(quantiles);
        return result;
    }

    /// <summary>A deep copy of everything accumulated so far, running timers included, for a checkpoint.</summary>
    public RecordSnapshot Capture()
    {
        if (IsEmpty) return RecordSnapshot.Empty;
        return new RecordSnapshot(
            fields is null ? RecordSnapshot.Empty.Fields : new Dictionary<string, FieldValue>(fields, StringComparer.Ordinal),
            counters is null ? RecordSnapshot.Empty.Counters : new Dictionary<string, long>(counters, StringComparer.Ordinal),
            distributions is null ? RecordSnapshot.Empty.Distributions : distributions.ToDictionary(d => d.Key, d => d.Value.Capture(), StringComparer.Ordinal),
            timers is null ? RecordSnapshot.Empty.Timers : timers.ToDictionary(t => t.Key, t => new TimerSnapshot(t.Value.Elapsed, t.Value.StartedAt), StringComparer.Ordinal));
    }

    /// <summary>Rebuilds a record from <see cref="Capture"/>, in the same order, so it closes into the same values.</summary>
    public static EntryRecord Restore(RecordSnapshot snapshot, int maxRetainedObservations)
    {
        var record = new EntryRecord(maxRetainedObservations);
        foreach (var (name, value) in snapshot.Fields) record.Set(name, value);
        foreach (var (name, value) in snapshot.Counters) record.Add(name, value);
        foreach (var (name, distribution) in snapshot.Distributions)
            (record.distributions ??= new(StringComparer.Ordinal))[name] = Distribution.Restore(distribution, maxRetainedObservations);
        foreach (var (name, timer) in snapshot.Timers)
            (record.timers ??= new(StringComparer.Ordinal))[name] = new Stopwatch { Elapsed = timer.Elapsed, StartedAt = timer.StartedAt };
        return record;
    }

    private Distribution DistributionFor(string name, FieldUnit unit)
    {
        distributions ??= new(StringComparer.Ordinal);
        if (!distributions.TryGetValue(name, out var distribution))
            distributions[name] = distribution = new Distribution(unit, maxRetainedObservations);
        return distribution;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Stopwatch
    {
        public DateTimeOffset? StartedAt;
        public TimeSpan Elapsed;
    }

    private static class Empty<T>
    {
        public static readonly IReadOnlyDictionary<string, T> Dictionary = new Dictionary<string, T>(0);
    }
}
