using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Dedicated producer threads parked on a gate: they are created and ready before the clock starts, then released
/// together, so thread start-up is not part of a round and producers do not compete for thread-pool threads with
/// the actors they feed.
/// </summary>
internal sealed class ProducerThreads
{
    private readonly ManualResetEventSlim gate = new(false);
    private readonly CountdownEvent ready;
    private readonly Thread[] threads;
    private ExceptionDispatchInfo? failure;

    public ProducerThreads(int count, Action<int> body)
    {
        ready = new CountdownEvent(count);
        threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            threads[i] = new Thread(() =>
            {
                ready.Signal();
                gate.Wait();
                try { body(index); }
                catch (Exception exception) { Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(exception), null); }
            })
            { IsBackground = true, Name = $"producer-{i}" };
            threads[i].Start();
        }
        ready.Wait();
    }

    /// <summary>Opens the gate; returns the Stopwatch timestamp taken just before, which starts the round's clock.</summary>
    public long Release()
    {
        var startedAt = Stopwatch.GetTimestamp();
        gate.Set();
        return startedAt;
    }

    /// <summary>Waits for the producers to finish and rethrows the first failure of any of them.</summary>
    public void Join(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        foreach (var thread in threads)
        {
            var left = TimeSpan.FromSeconds(Math.Max(0, (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
            if (!thread.Join(left)) throw new RoundTimeoutException($"producer thread {thread.Name} did not finish within {timeout.TotalSeconds:0.#} s");
        }
        failure?.Throw();
        gate.Dispose();
        ready.Dispose();
    }
}
