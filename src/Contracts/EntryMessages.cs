namespace Aggregator.Contracts;

/// <summary>
/// Creates the entry; the sender is its owner. A duplicate Open of an id that is open (or recently closed) is
/// ignored and counted, so redelivery is harmless. Deadlines left null use the service defaults.
/// </summary>
public sealed record Open(
    string EntryId,
    string Operation,
    IReadOnlyDictionary<string, string>? Dimensions = null,
    TimeSpan? ForceFlushAfter = null,
    TimeSpan? MaxLifetime = null) : IEntryMessage
{
    /// <summary>
    /// The checks every API that opens an entry makes on its caller's arguments (a programming error, so it throws):
    /// an operation, positive deadlines when given, and a non-empty id when one is given.
    /// </summary>
    public static void CheckArguments(string operation, TimeSpan? forceFlushAfter, TimeSpan? maxLifetime, string? entryId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        if (forceFlushAfter <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(forceFlushAfter), forceFlushAfter, "forceFlushAfter must be positive.");
        if (maxLifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(maxLifetime), maxLifetime, "maxLifetime must be positive.");
        if (entryId is not null) ArgumentException.ThrowIfNullOrEmpty(entryId);
    }
}

/// <summary>An owner-level field; the last write wins.</summary>
public sealed record Set(string EntryId, string Field, FieldValue Value) : IEntryMessage;

/// <summary>Adds to a counter; any number of contributors may add, and the entry records the sum.</summary>
public sealed record Add(string EntryId, string Counter, long Delta) : IEntryMessage;

/// <summary>One more observation of a per-entry distribution, summarised at close (count, sum, min, max, quantiles).</summary>
public sealed record Observe(string EntryId, string Distribution, double Value, FieldUnit Unit = FieldUnit.None) : IEntryMessage;

/// <summary>
/// Starts (or resumes) a stopwatch field. <paramref name="At"/> is the producer's clock when it matters that
/// mailbox time is not counted; null means "when the entry receives this".
/// </summary>
public sealed record StartTimer(string EntryId, string Timer, DateTimeOffset? At = null) : IEntryMessage;

/// <summary>Stops a stopwatch field, adding the elapsed time since its start; timers still running are stopped at close.</summary>
public sealed record StopTimer(string EntryId, string Timer, DateTimeOffset? At = null) : IEntryMessage;

/// <summary>The owner releases its handle: the entry closes as soon as the close rule allows.</summary>
public sealed record Close(string EntryId) : IEntryMessage;

/// <summary>The owner drops the entry: nothing is emitted, and later messages for it are dropped as late.</summary>
public sealed record Discard(string EntryId) : IEntryMessage;
