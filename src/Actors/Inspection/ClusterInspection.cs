using Aggregator.Actors.Inspection.Warnings;

namespace Aggregator.Actors.Inspection;

/// <summary>Composes the <see cref="ClusterView"/> of this node from a window of samples and its regions' shard reports.</summary>
public static class ClusterInspection
{
    public static ClusterView Inspect(
        string nodeName,
        InspectionWindow window,
        IReadOnlyList<RegionView> regions,
        InspectionSettings settings,
        int top)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        return new ClusterView(
            Node(nodeName, window),
            regions,
            TopActors.ByBusyTime(window, top),
            TopActors.ByMailboxDepth(window, top),
            WarningRules.Evaluate(window, settings));
    }

    /// <summary>This process over the window: also what a cluster member writes into its heartbeat.</summary>
    public static NodeView Node(string name, InspectionWindow window)
    {
        var latest = window.Latest;
        var process = latest.Process;
        return new NodeView(
            name,
            process.StartedAt,
            latest.Kernel.Uptime.TotalSeconds,
            window.Elapsed.TotalSeconds,
            process.ProcessorCount,
            Utilization.OfProcess(window),
            Utilization.OfActors(window),
            process.WorkingSetBytes,
            process.ManagedHeapBytes,
            process.GcCollections,
            latest.Kernel.LiveActors,
            latest.Kernel.ThreadPoolQueueLength,
            latest.Kernel.ThreadPoolThreads);
    }
}
