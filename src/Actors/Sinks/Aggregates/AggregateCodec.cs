using System.Diagnostics.CodeAnalysis;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// The bytes of a <see cref="PartialAggregate"/> (<see cref="Persistence.AggregateRow.State"/>, which stores keep
/// opaque): versioned by a leading format byte, compact (varints, sketch buckets as a first index and a run of
/// counts), and decoded without ever throwing on bad input: a corrupt blob comes back with the reason and byte offset.
/// </summary>
/// <remarks>
/// Format 1, all integers unsigned LEB128 varints unless marked zigzag, doubles 8 bytes little-endian, strings a
/// varint byte length then UTF-8:
/// <code>
/// format=1, entries, rejectedValues,
/// reasonCount, { closeReason, count } × reasonCount,
/// metricCount, { kind (byte), name (string), sum (double), sketch } × metricCount   -- sorted by (kind, name)
/// sketch = relativeAccuracy (double), maxBuckets, zeroCount, positive store, negative store,
///          then if the sketch is not empty: sum, min, max (doubles)
/// store  = bucketCount, then if not zero: lowest index (zigzag), { count } × bucketCount
/// </code>
/// A new layout gets a new format byte; <see cref="TryDecode"/> names the format it found when it cannot read it.
/// </remarks>
public static class AggregateCodec
{
    /// <summary>The format this build writes.</summary>
    public const byte Format = 1;

    public static byte[] Encode(PartialAggregate aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        var writer = new StateWriter();
        writer.Byte(Format);
        writer.VarUInt((ulong)aggregate.Entries);
        writer.VarUInt((ulong)aggregate.RejectedValues);
        var reasons = aggregate.Reasons.OrderBy(r => r.Key).ToArray();
        writer.VarUInt((ulong)reasons.Length);
        foreach (var (reason, count) in reasons)
        {
            writer.VarUInt((ulong)(int)reason);
            writer.VarUInt((ulong)count);
        }
        var metrics = aggregate.Metrics.OrderBy(m => m.Key).ToArray();
        writer.VarUInt((ulong)metrics.Length);
        foreach (var (key, summary) in metrics)
        {
            writer.Byte((byte)key.Kind);
            writer.String(key.Name);
            writer.Double(summary.Sum);
            WriteSketch(writer, summary.Sketch);
        }
        return writer.ToArray();
    }

    /// <summary>
    /// Reads a state back. False, with <paramref name="error"/> saying what is wrong and where (empty, unknown format,
    /// truncated, out-of-range or inconsistent values, trailing bytes), for anything <see cref="Encode"/> did not write.
    /// </summary>
    public static bool TryDecode(byte[] state, [NotNullWhen(true)] out PartialAggregate? aggregate, [NotNullWhen(false)] out string? error)
    {
        aggregate = null;
        error = null;
        if (state is null || state.Length == 0)
        {
            error = "empty aggregate state";
            return false;
        }
        var reader = new StateReader(state);
        if (TryRead(ref reader, out var decoded) && (reader.Remaining == 0 || reader.Fail($"{reader.Remaining} trailing bytes after the aggregate")))
        {
            aggregate = decoded;
            return true;
        }
        error = reader.Error ?? "unreadable aggregate state";
        return false;
    }

    private static bool TryRead(ref StateReader reader, [NotNullWhen(true)] out PartialAggregate? aggregate)
    {
        aggregate = null;
        if (!reader.Byte("format", out var format)) return false;
        if (format != Format) return reader.Fail($"unknown aggregate format {format} (this build reads format {Format})");
        if (!reader.Count("entry count", out var entries) || !reader.Count("rejected value count", out var rejected)) return false;

        if (!reader.Count("close reason count", out var reasonCount)) return false;
        if (reasonCount > reader.Remaining) return reader.Fail($"truncated: {reasonCount} close reasons cannot fit in the {reader.Remaining} bytes left");
        var reasons = new Dictionary<CloseReason, long>();
        long reasonTotal = 0;
        for (var i = 0; i < reasonCount; i++)
        {
            if (!reader.Count("close reason", out var reason) || !reader.Count("close reason count", out var count)) return false;
            if (reason > int.MaxValue) return reader.Fail($"close reason {reason} is out of range");
            if (!reasons.TryAdd((CloseReason)(int)reason, count)) return reader.Fail($"close reason {reason} appears twice");
            if (!TryAdd(ref reasonTotal, count)) return reader.Fail("close reason counts overflow");
        }
        if (reasonTotal != entries) return reader.Fail($"close reason counts add up to {reasonTotal}, not the entry count {entries}");

        if (!reader.Count("metric count", out var metricCount)) return false;
        if (metricCount > reader.Remaining) return reader.Fail($"truncated: {metricCount} metrics cannot fit in the {reader.Remaining} bytes left");
        var metrics = new Dictionary<MetricKey, MetricSummary>();
        double relativeAccuracy = DDSketch.DefaultRelativeAccuracy;
        int maxBuckets = DDSketch.DefaultMaxBuckets;
        for (var i = 0; i < metricCount; i++)
        {
            if (!reader.Byte("metric kind", out var kind)) return false;
            if (kind is < (byte)MetricKind.Field or > (byte)MetricKind.Distribution) return reader.Fail($"unknown metric kind {kind}");
            if (!reader.String("metric name", out var name) || !reader.Double("metric sum", out var sum)) return false;
            if (!double.IsFinite(sum)) return reader.Fail($"metric {name} has a non-finite sum");
            var key = new MetricKey((MetricKind)kind, name);
            if (!TryReadSketch(ref reader, out var sketch)) return reader.Within($"metric {key}");
            if (!metrics.TryAdd(key, new MetricSummary(sketch, sum))) return reader.Fail($"metric {key} appears twice");
            relativeAccuracy = sketch.RelativeAccuracy;
            maxBuckets = sketch.MaxBuckets;
        }

        aggregate = new PartialAggregate(relativeAccuracy, maxBuckets);
        aggregate.Restore(entries, rejected, reasons, metrics);
        return true;
    }

    private static void WriteSketch(StateWriter writer, DDSketch sketch)
    {
        writer.Double(sketch.RelativeAccuracy);
        writer.VarUInt((ulong)sketch.MaxBuckets);
        writer.VarUInt((ulong)sketch.ZeroCount);
        WriteStore(writer, sketch.Positive);
        WriteStore(writer, sketch.Negative);
        if (sketch.IsEmpty) return;
        writer.Double(sketch.Sum);
        writer.Double(sketch.Min);
        writer.Double(sketch.Max);
    }

    private static void WriteStore(StateWriter writer, BucketStore store)
    {
        if (store.IsEmpty)
        {
            writer.VarUInt(0);
            return;
        }
        var (low, high) = store.Range();
        writer.VarUInt((ulong)(high - low + 1));
        writer.VarInt(low);
        for (var index = low; index <= high; index++) writer.VarUInt((ulong)store.CountAt(index));
    }

    private static bool TryReadSketch(ref StateReader reader, [NotNullWhen(true)] out DDSketch? sketch)
    {
        sketch = null;
        if (!reader.Double("relative accuracy", out var alpha)) return false;
        if (!(alpha >= 1e-6 && alpha <= 0.5)) return reader.Fail($"relative accuracy {alpha} is outside [1e-6, 0.5]");
        if (!reader.Count("max buckets", out var maxBuckets)) return false;
        if (maxBuckets is < 16 or > DDSketch.MaxBucketLimit) return reader.Fail($"max buckets {maxBuckets} is outside [16, {DDSketch.MaxBucketLimit}]");
        if (!reader.Count("zero count", out var zeros)) return false;
        sketch = new DDSketch(alpha, (int)maxBuckets);
        if (!TryReadStore(ref reader, "positive buckets", sketch, sketch.Positive)
            || !TryReadStore(ref reader, "negative buckets", sketch, sketch.Negative))
            return false;
        var total = zeros;
        if (!TryAdd(ref total, sketch.Positive.Total) || !TryAdd(ref total, sketch.Negative.Total))
            return reader.Fail("bucket counts overflow");
        if (total == 0)
        {
            sketch.Restore(0, 0, 0, 0);
            return true;
        }
        if (!reader.Double("sketch sum", out var sum) || !reader.Double("min", out var min) || !reader.Double("max", out var max))
            return false;
        if (!double.IsFinite(sum) || !double.IsFinite(min) || !double.IsFinite(max) || min > max)
            return reader.Fail($"sketch sum/min/max ({sum}, {min}, {max}) are not finite or min > max");
        sketch.Restore(zeros, sum, min, max);
        return true;
    }

    private static bool TryReadStore(ref StateReader reader, string what, DDSketch sketch, BucketStore store)
    {
        if (!reader.Count("bucket count", out var buckets)) return reader.Within(what);
        if (buckets == 0) return true;
        if (buckets > sketch.MaxBuckets) return reader.Fail($"{what}: {buckets} buckets exceed the sketch's maximum {sketch.MaxBuckets}");
        if (buckets > reader.Remaining) return reader.Fail($"truncated: {what} claims {buckets} buckets, {reader.Remaining} bytes left");
        if (!reader.VarInt("lowest index", out var lowest)) return reader.Within(what);
        var mapping = sketch.Mapping;
        if (lowest < mapping.MinIndex || lowest + buckets - 1 > mapping.MaxIndex)
            return reader.Fail($"{what}: indices {lowest}..{lowest + buckets - 1} are outside what any double maps to ({mapping.MinIndex}..{mapping.MaxIndex})");
        var counts = new long[buckets];
        long total = 0;
        for (var i = 0; i < buckets; i++)
        {
            if (!reader.Count("bucket", out counts[i])) return reader.Within(what);
            if (!TryAdd(ref total, counts[i])) return reader.Fail($"{what}: counts overflow");
        }
        store.Restore((int)lowest, counts);
        return true;
    }

    private static bool TryAdd(ref long total, long value)
    {
        if (value > long.MaxValue - total) return false;
        total += value;
        return true;
    }
}
