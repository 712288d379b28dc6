using System.Diagnostics;
using Aggregator.Benchmarks.Throughput;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// The naive way to persist closed entries, for comparison: the same producer threads each insert one entry per
/// statement, auto-committed, on their own connection (opened before the clock starts), with the same JSON payload
/// serialized per entry. The baseline is far slower than the sink, so a round runs for a fixed time over a pre-built
/// pool of entries instead of a fixed count; its rate is rows written over the time until both threads stopped.
/// </summary>
internal static class SingleRowBaseline
{
    public static Task<(long Rows, TimeSpan Elapsed)> RunRoundAsync(ISingleRowInsertTable table, ClosedEntry[] pool, int producers, TimeSpan duration, TimeSpan timeout)
    {
        var writers = Enumerable.Range(0, producers).Select(table.OpenWriter).ToArray();
        var next = -1L;
        long written = 0, refused = 0;
        long deadline = 0;
        var threads = new ProducerThreads(producers, p =>
        {
            var writer = writers[p];
            long mine = 0;
            while (Stopwatch.GetTimestamp() < Volatile.Read(ref deadline))
            {
                var i = Interlocked.Increment(ref next);
                if (i >= pool.Length) break;
                if (writer.Insert(pool[i])) mine++;
                else Interlocked.Increment(ref refused);
            }
            Interlocked.Add(ref written, mine);
        });
        Volatile.Write(ref deadline, Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency));
        var startedAt = threads.Release();
        threads.Join(timeout);
        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        foreach (var writer in writers) writer.Dispose();
        if (refused != 0) throw new MessageConservationException($"single-row baseline: {refused} inserts wrote no row (duplicate ids?)");
        return Task.FromResult((written, elapsed));
    }
}
