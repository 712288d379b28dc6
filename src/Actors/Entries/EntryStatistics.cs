using System.Collections.Concurrent;

namespace Aggregator.Actors.Entries;

/// <summary>Every operation's <see cref="OperationStats"/>; what inspection reads. Messages for unknown ids count under <see cref="UnknownOperation"/>.</summary>
public sealed class EntryStatistics
{
    /// <summary>Orphan messages name an id nobody opened, so their operation cannot be known.</summary>
    public const string UnknownOperation = "(unknown)";

    private readonly ConcurrentDictionary<string, OperationStats> byOperation = new(StringComparer.Ordinal);

    public OperationStats For(string operation) => byOperation.GetOrAdd(operation, static op => new OperationStats(op));

    public IReadOnlyList<OperationStatsSnapshot> Snapshot() =>
        byOperation.Values.Select(s => s.Snapshot()).OrderBy(s => s.Operation, StringComparer.Ordinal).ToList();

    /// <summary>The snapshot of one operation, or null if nothing was counted for it yet.</summary>
    public OperationStatsSnapshot? Snapshot(string operation) => byOperation.TryGetValue(operation, out var stats) ? stats.Snapshot() : null;
}
