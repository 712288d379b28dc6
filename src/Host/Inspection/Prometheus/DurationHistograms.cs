using Aggregator.Actors.Kernel.Instrumentation;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>
/// The kernel's power-of-two nanosecond histograms as Prometheus histograms in seconds. Bucket i of the kernel holds
/// [2^i, 2^(i+1)) ns, so its upper bound is 2^(i+1) ns; the last kernel bucket (everything longer) goes to +Inf only.
/// The kernel keeps no exact sum, so <c>_sum</c> is estimated at each bucket's midpoint (within a factor of 1.5).
/// </summary>
public static class DurationHistograms
{
    public static HistogramSeries ToSeries(HistogramSnapshot snapshot)
    {
        var counts = snapshot.Counts;
        var buckets = new List<(double, long)>(counts.Count - 1);
        double sum = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (i < counts.Count - 1) buckets.Add((Math.Pow(2, i + 1) / 1e9, counts[i]));
            sum += counts[i] * 1.5 * Math.Pow(2, i) / 1e9;
        }
        return new HistogramSeries(buckets, snapshot.Total, sum);
    }
}
