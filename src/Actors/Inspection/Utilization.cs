namespace Aggregator.Actors.Inspection;

/// <summary>
/// Node-wide load over a window, as a fraction (0..1) of all processors: time spent ÷ (window × processors). Like
/// busy time per actor, it is a difference of two cumulative readings, so it covers the window, not the whole run.
/// </summary>
public static class Utilization
{
    /// <summary>Process CPU time (all threads, user and kernel).</summary>
    public static double OfProcess(InspectionWindow window) =>
        Fraction(window.Latest.Process.CpuTime - window.Earlier.Process.CpuTime, window);

    /// <summary>Busy time of every actor, including actors that stopped during the window (their type kept it).</summary>
    public static double OfActors(InspectionWindow window) =>
        Fraction(TotalBusy(window.Latest) - TotalBusy(window.Earlier), window);

    /// <summary>One actor type's busy time over the window, as a fraction of one processor (1 = one core fully busy).</summary>
    public static double OfType(InspectionWindow window, string actorType)
    {
        if (window.Elapsed <= TimeSpan.Zero) return 0;
        var now = window.Latest.Kernel.Types.Where(t => t.ActorType == actorType).Sum(t => t.BusyTime.TotalSeconds);
        var before = window.Earlier.Kernel.Types.Where(t => t.ActorType == actorType).Sum(t => t.BusyTime.TotalSeconds);
        return Math.Max(0, now - before) / window.Elapsed.TotalSeconds;
    }

    private static TimeSpan TotalBusy(InspectionSample sample) =>
        sample.Kernel.Types.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.BusyTime);

    private static double Fraction(TimeSpan spent, InspectionWindow window)
    {
        if (window.Elapsed <= TimeSpan.Zero || spent <= TimeSpan.Zero) return 0;
        var capacity = window.Elapsed.TotalSeconds * Math.Max(1, window.Latest.Process.ProcessorCount);
        return Math.Clamp(spent.TotalSeconds / capacity, 0, 1);
    }
}
