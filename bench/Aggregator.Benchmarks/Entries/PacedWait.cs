using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// Waits until a Stopwatch timestamp without taking a core from the actors: far ahead it sleeps in short slices
/// (usleep, ~100 µs on Linux; Thread.Sleep's 1 ms would issue entries in bursts), close to it it yields, then spins.
/// A pacing producer that only yielded kept both cores busy at half the load, which is not the system being measured.
/// </summary>
internal static class PacedWait
{
    private static readonly long SleepAbove = Stopwatch.Frequency / 5_000; // 200 µs
    private static readonly long YieldAbove = Stopwatch.Frequency / 50_000; // 20 µs

    public static void Until(long due)
    {
        for (var now = Stopwatch.GetTimestamp(); now < due; now = Stopwatch.GetTimestamp())
        {
            if (due - now > SleepAbove && OperatingSystem.IsLinux()) usleep(100);
            else if (due - now > YieldAbove) Thread.Yield();
            else Thread.SpinWait(20);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int usleep(uint microseconds);
}
