namespace Aggregator.Actors.Sinks;

/// <summary>What a full sink shard does with one more closed entry.</summary>
public enum SinkOverflowPolicy
{
    /// <summary>Drop the entry and count it (wait-free: nothing upstream ever blocks).</summary>
    Drop,

    /// <summary>Refuse new work upstream: in-process producers are told at Open, the host answers 503 + Retry-After.</summary>
    Reject,
}

/// <summary>How sink shards batch, aggregate, buffer and retry.</summary>
public sealed record SinkSettings
{
    /// <summary>Sink shards (persistence ids <c>sink-0</c> … <c>sink-(M-1)</c>); entries are routed by a stable hash of their id.</summary>
    public int Shards { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Persistence ids are <c>&lt;prefix&gt;-&lt;shard&gt;</c>. One process per journal keeps the default; pods sharing a
    /// PostgreSQL journal in cluster mode each need their own (their shards are distinct persistent actors).
    /// </summary>
    public string PersistenceIdPrefix { get; init; } = "sink";

    /// <summary>A journal write is started once this many entries wait.</summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>…or once the oldest waiting entry has waited this long.</summary>
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How often partial aggregates are upsert-merged into the store with the sequence number they cover.</summary>
    public TimeSpan AggregateFlushInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The time window partial aggregates are kept per.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Entries a shard holds that are not yet journaled; beyond it the <see cref="OverflowPolicy"/> applies.</summary>
    public int BufferCapacity { get; init; } = 100_000;

    public SinkOverflowPolicy OverflowPolicy { get; init; } = SinkOverflowPolicy.Drop;

    /// <summary>Attempts per store call before the batch waits for the next interval (backoff doubles from <see cref="RetryDelay"/>).</summary>
    public int RetryAttempts { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>While the circuit is open the store is not called at all; after this long one trial call is let through.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an aggregate query waits for the shards' unflushed partials before it answers from the store alone.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(2);

    internal void Validate()
    {
        if (Shards < 1) throw new ArgumentOutOfRangeException(nameof(Shards), Shards, "SinkSettings.Shards must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "SinkSettings.BatchSize must be at least 1.");
        if (BatchInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(BatchInterval), BatchInterval, "SinkSettings.BatchInterval must be positive.");
        if (AggregateFlushInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(AggregateFlushInterval), AggregateFlushInterval, "SinkSettings.AggregateFlushInterval must be positive.");
        if (Window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Window), Window, "SinkSettings.Window must be positive.");
        if (BufferCapacity < BatchSize) throw new ArgumentOutOfRangeException(nameof(BufferCapacity), BufferCapacity, "SinkSettings.BufferCapacity must be at least BatchSize.");
        if (RetryAttempts < 0) throw new ArgumentOutOfRangeException(nameof(RetryAttempts), RetryAttempts, "SinkSettings.RetryAttempts must not be negative.");
        if (string.IsNullOrWhiteSpace(PersistenceIdPrefix)) throw new ArgumentException("SinkSettings.PersistenceIdPrefix must not be empty.", nameof(PersistenceIdPrefix));
        if (RetryDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "SinkSettings.RetryDelay must be positive.");
        if (QueryTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(QueryTimeout), QueryTimeout, "SinkSettings.QueryTimeout must be positive.");
        if (BreakDuration < TimeSpan.FromMilliseconds(500)) throw new ArgumentOutOfRangeException(nameof(BreakDuration), BreakDuration, "SinkSettings.BreakDuration must be at least 500 ms (a Polly circuit breaker limit).");
    }
}
