namespace Aggregator.Benchmarks.Throughput;

/// <summary>One variant's measured rounds: the median rate is the figure reported, min and max show the spread.</summary>
internal sealed record Measured(
    string Variant,
    IReadOnlyList<double> Rates,
    long MessagesPerRound,
    double AllocatedBytesPerMessage,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections)
{
    public double Median
    {
        get
        {
            var sorted = Rates.Order().ToArray();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    /// <summary>CPU time used (all threads, user + kernel) over the cores' wall time; approximate: a round's set-up and check are included.</summary>
    public double CpuShare { get; init; }

    /// <summary>Share of that CPU time spent in the OS kernel (thread wake-ups and parking show up here).</summary>
    public double SystemShare { get; init; }

    /// <summary>Voluntary + involuntary context switches per 1,000 messages.</summary>
    public double ContextSwitchesPerThousand { get; init; }

    /// <summary>CPU taken by other processes (and the hypervisor's steal) over the cores' wall time: above a few percent the figures are suspect.</summary>
    public double OtherProcessesShare { get; init; }

    /// <summary>Most thread-pool threads seen after a round: more than the cores means the pool injected threads (blocking or starvation).</summary>
    public int PoolThreads { get; init; }

    public double Min => Rates.Min();
    public double Max => Rates.Max();
}
