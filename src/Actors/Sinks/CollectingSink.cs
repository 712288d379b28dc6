using System.Collections.Concurrent;
using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// The simplest place closed entries can go: an actor that keeps them (or only counts them) in memory, for tests,
/// benchmarks and examples. The real sinks (sharded, persistent) take the same <see cref="ClosedEntry"/> Tells.
/// </summary>
public sealed class CollectingSink
{
    private readonly ConcurrentQueue<ClosedEntry>? entries;
    private long count;
    private TaskCompletionSource? waiter;
    private long waitingFor = long.MaxValue;

    private CollectingSink(bool keep) => entries = keep ? new() : null;

    /// <summary>The sink actor: tell closed entries here.</summary>
    public IActorRef Ref { get; private set; } = null!;

    public long Count => Interlocked.Read(ref count);

    /// <summary>Everything received so far, in arrival order (empty for a counting-only sink).</summary>
    public IReadOnlyList<ClosedEntry> Entries => entries?.ToArray() ?? [];

    /// <summary>Starts a sink actor that keeps every closed entry (<paramref name="keep"/>) or only counts them.</summary>
    public static CollectingSink Start(ActorSystem system, string name = "collecting-sink", bool keep = true)
    {
        var sink = new CollectingSink(keep);
        sink.Ref = system.ActorOf(Props.Create(() => new SinkActor(sink)), name);
        return sink;
    }

    /// <summary>Completes once at least <paramref name="expected"/> entries have arrived.</summary>
    public Task WhenCount(long expected)
    {
        lock (this)
        {
            if (Count >= expected) return Task.CompletedTask;
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waitingFor = expected;
            return waiter.Task;
        }
    }

    private void Receive(ClosedEntry entry)
    {
        entries?.Enqueue(entry);
        var now = Interlocked.Increment(ref count);
        if (now >= Volatile.Read(ref waitingFor))
            lock (this)
                if (waiter is not null && now >= waitingFor)
                {
                    waiter.TrySetResult();
                    waiter = null;
                    waitingFor = long.MaxValue;
                }
    }

    private sealed class SinkActor(CollectingSink sink) : ActorBase
    {
        protected override bool Receive(object message)
        {
            if (message is not ClosedEntry entry) return false;
            sink.Receive(entry);
            return true;
        }
    }
}
