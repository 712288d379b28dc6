using System.Diagnostics;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Waits (briefly) for other processes to leave the cores alone before a variant is measured. On a 2-core machine a
/// build server winding down after <c>dotnet run</c>, or a test run in another shell, halves whatever is measured
/// first; waiting for a quiet half-second costs little and keeps that noise out of the tables.
/// </summary>
internal static class QuietWait
{
    private const double QuietShare = 0.05;
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns how long it waited; gives up after <paramref name="limit"/> (the table's 'other' column then shows the load).</summary>
    public static TimeSpan Until(TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < limit)
        {
            var machineBefore = MachineLoad.Now();
            var usageBefore = ProcessUsage.Now();
            Thread.Sleep(Window);
            var machine = MachineLoad.Now() - machineBefore;
            var usage = ProcessUsage.Now() - usageBefore;
            var other = (machine.Busy + machine.Steal - usage.User - usage.System) / (Window * Environment.ProcessorCount);
            if (other < QuietShare) break;
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Waits up to ten seconds before a variant, and says so when it waited over a second: a table measured after a
    /// long wait was measured on a machine that had been busy.
    /// </summary>
    public static void BeforeVariant()
    {
        var waited = Until(TimeSpan.FromSeconds(10));
        if (waited > TimeSpan.FromSeconds(1)) Console.WriteLine($"(waited {waited.TotalSeconds:0.0} s for other processes to go quiet)");
    }
}
