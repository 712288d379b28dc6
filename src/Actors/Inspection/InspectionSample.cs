using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel.Instrumentation;
using Aggregator.Actors.Sinks;

namespace Aggregator.Actors.Inspection;

/// <summary>
/// Everything inspection reads at one moment: the kernel, the process, the entry counters and the sink shards.
/// Two samples make a window; the kernel's uptime (a monotonic clock) measures the time between them.
/// </summary>
public sealed record InspectionSample(
    KernelSnapshot Kernel,
    ProcessSnapshot Process,
    IReadOnlyList<OperationStatsSnapshot> Entries,
    IReadOnlyList<SinkShardSnapshot> Sinks)
{
    /// <summary>Monotonic time of the sample (the kernel's uptime when it was read).</summary>
    public TimeSpan Uptime => Kernel.Uptime;

    /// <summary>
    /// The same sample without each actor's histograms, which no window reads from a past sample (only from types): what
    /// the history keeps, so thousands of live entry actors cost a few hundred bytes each per sample, not a kilobyte.
    /// </summary>
    public InspectionSample WithoutActorHistograms() => this with
    {
        Kernel = Kernel with
        {
            Actors = Kernel.Actors.Select(a => a with { MailboxWait = HistogramSnapshot.Empty, Processing = HistogramSnapshot.Empty }).ToList(),
        },
    };
}
