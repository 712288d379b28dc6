using System.Diagnostics;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Cost of one <see cref="Stopwatch.GetTimestamp"/> on this machine. The kernel's mailbox turn reads the clock once per
/// processed message (plus once per 16 Tells for the mailbox-wait sample), so on a VM where the clock is slow this
/// alone bounds one actor's message rate; the throughput header prints it so the tables can be read against it.
/// </summary>
internal static class ClockCost
{
    public static double NanosecondsPerRead(int reads = 5_000_000)
    {
        long sink = 0;
        for (var i = 0; i < 100_000; i++) sink += Stopwatch.GetTimestamp(); // warm-up
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < reads; i++) sink += Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(started);
        GC.KeepAlive(sink);
        return elapsed.TotalNanoseconds / reads;
    }
}
