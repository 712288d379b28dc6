namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// Busy and total jiffies of the whole machine from /proc/stat: the share of all cores busy during a phase, to set
/// beside what the measured processes used (the rest is RabbitMQ, PostgreSQL and whatever else runs). Zeros where
/// /proc is not there.
/// </summary>
internal readonly record struct MachineCpu(long Busy, long Total)
{
    public static MachineCpu Read()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
            var total = fields.Take(8).Sum();
            return new MachineCpu(total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return default;
        }
    }

    public static double BusyShare(MachineCpu a, MachineCpu b) => b.Total == a.Total ? 0 : (double)(b.Busy - a.Busy) / (b.Total - a.Total);
}
