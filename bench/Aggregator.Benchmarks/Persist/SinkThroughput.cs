using System.Diagnostics;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Sinks;
using Aggregator.Benchmarks.Throughput;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// The real sink path over one store: an actor system, <see cref="SinkRegion.Start"/> with default
/// <see cref="SinkSettings"/>, and producer threads telling pre-built closed entries to <c>sinks.Ref</c>. A round ends
/// when the shards have journaled every entry told in it (counted from the region's journaled-batch callback, then
/// checked against <see cref="SinkRegion.Snapshot"/>). Producers keep at most half a shard's buffer capacity in
/// flight (told but not journaled, over all shards), so no shard can ever reach its capacity and drop.
/// </summary>
internal sealed class SinkThroughput : IAsyncDisposable
{
    private const int CheckEvery = 256;

    private readonly ActorSystem system;
    private readonly SinkRegion sinks;
    private readonly long inFlightLimit;
    private long journaled, sent, target = long.MaxValue, completedAt, windowWaits;
    private TaskCompletionSource? done;

    private SinkThroughput(ActorSystem system, ISinkStore store, SinkSettings settings)
    {
        this.system = system;
        Store = store;
        sinks = SinkRegion.Start(system, store, settings, OnJournaled);
        inFlightLimit = settings.BufferCapacity / 2;
    }

    public ISinkStore Store { get; }

    public SinkSettings Settings => sinks.Settings;

    public long InFlightLimit => inFlightLimit;

    /// <summary>Times a producer found the in-flight window full, over every round so far.</summary>
    public long WindowWaits => Interlocked.Read(ref windowWaits);

    public IReadOnlyList<SinkShardSnapshot> Snapshot() => sinks.Snapshot();

    public static async Task<SinkThroughput> StartAsync(ISinkStore store, SinkSettings settings)
    {
        var system = ActorSystem.Create("bench-persist", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        var sink = new SinkThroughput(system, store, settings);
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (!sink.Snapshot().All(s => s.Recovered))
        {
            if (Stopwatch.GetTimestamp() > deadline) throw new RoundTimeoutException("the sink shards did not recover within 30 s");
            await Task.Delay(5).ConfigureAwait(false);
        }
        return sink;
    }

    /// <summary>Tells every entry from <paramref name="producers"/> threads; returns the time until the last one was journaled.</summary>
    public async Task<TimeSpan> RunRoundAsync(ClosedEntry[] entries, int producers, TimeSpan timeout)
    {
        var before = Interlocked.Read(ref sent);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref done, completion);
        Volatile.Write(ref target, before + entries.Length);
        var published = new long[producers * 16]; // one cache line per producer
        var threads = new ProducerThreads(producers, p =>
        {
            var from = (int)((long)entries.Length * p / producers);
            var to = (int)((long)entries.Length * (p + 1) / producers);
            var region = sinks.Ref;
            for (var i = from; i < to; i++)
            {
                if ((i - from) % CheckEvery == 0)
                {
                    Volatile.Write(ref published[p * 16], i - from);
                    WaitForRoom(before, published, producers);
                }
                region.Tell(entries[i], null);
            }
            Volatile.Write(ref published[p * 16], to - from);
        });
        Interlocked.Add(ref sent, entries.Length);
        var startedAt = threads.Release();
        try
        {
            await completion.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var journaledSum = Snapshot().Sum(s => s.Journaled);
            throw new RoundTimeoutException($"sink round did not finish within {timeout.TotalSeconds:0} s: {Interlocked.Read(ref journaled) - before:N0} of {entries.Length:N0} journaled (snapshot sum {journaledSum:N0})");
        }
        threads.Join(timeout);
        return Stopwatch.GetElapsedTime(startedAt, Volatile.Read(ref completedAt));
    }

    /// <summary>Journals everything buffered and flushes the aggregates on every shard (what shutdown does); returns how long it took.</summary>
    public async Task<TimeSpan> DrainAsync()
    {
        var started = Stopwatch.GetTimestamp();
        await sinks.DrainAsync().ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync()
    {
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
    }

    private void WaitForRoom(long before, long[] published, int producers)
    {
        while (true)
        {
            long told = before;
            for (var p = 0; p < producers; p++) told += Volatile.Read(ref published[p * 16]);
            if (told - Interlocked.Read(ref journaled) <= inFlightLimit) return;
            Interlocked.Increment(ref windowWaits);
            Thread.Sleep(1);
        }
    }

    /// <summary>On a shard's turn, after its counters were updated: counts and ends the round at its target.</summary>
    private void OnJournaled(IReadOnlyList<ClosedEntry> batch)
    {
        var now = Interlocked.Add(ref journaled, batch.Count);
        if (now < Volatile.Read(ref target)) return;
        Volatile.Write(ref completedAt, Stopwatch.GetTimestamp());
        Volatile.Write(ref target, long.MaxValue);
        Volatile.Read(ref done)?.TrySetResult();
    }
}
