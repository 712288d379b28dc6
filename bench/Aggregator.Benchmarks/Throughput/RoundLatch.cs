using System.Diagnostics;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Counts down the parties of one round (actors that reached their quota, or producer threads that finished) and
/// stamps the moment the last one reported, so the round's clock stops when the work is done rather than when an
/// awaiting continuation gets a thread.
/// </summary>
internal sealed class RoundLatch
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int remaining;
    private long sum;
    private long completedAt;

    public RoundLatch(int parties)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parties, 1);
        remaining = parties;
    }

    /// <summary>Sum of the partial sums reported so far.</summary>
    public long Sum => Interlocked.Read(ref sum);

    /// <summary>Parties that have not reported yet.</summary>
    public int Remaining => Volatile.Read(ref remaining);

    /// <summary>One party is done; <paramref name="partialSum"/> is the sum of the payload values it received.</summary>
    public void Signal(long partialSum)
    {
        Interlocked.Add(ref sum, partialSum);
        if (Interlocked.Decrement(ref remaining) == 0)
        {
            Volatile.Write(ref completedAt, Stopwatch.GetTimestamp());
            done.TrySetResult();
        }
    }

    /// <summary>Waits for every party; after <paramref name="timeout"/> throws <see cref="RoundTimeoutException"/> with <paramref name="progress"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, Func<string> progress)
    {
        try
        {
            await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RoundTimeoutException($"round did not finish within {timeout.TotalSeconds:0.#} s: {Remaining} parties outstanding; {progress()}");
        }
    }

    /// <summary>Stopwatch timestamp of the last signal (0 before).</summary>
    public long CompletedAt => Volatile.Read(ref completedAt);

    /// <summary>Time from <paramref name="startedAt"/> (a Stopwatch timestamp) to the last signal.</summary>
    public TimeSpan ElapsedSince(long startedAt) => Stopwatch.GetElapsedTime(startedAt, Volatile.Read(ref completedAt));

    /// <summary>Message conservation: the receivers together saw exactly what was sent.</summary>
    public void VerifySum(long expected, string what) => Conservation.Verify(Sum, expected, what);
}

/// <summary>A round that did not complete in its time limit: reported as a failure instead of hanging the run.</summary>
internal sealed class RoundTimeoutException(string message) : Exception(message);
