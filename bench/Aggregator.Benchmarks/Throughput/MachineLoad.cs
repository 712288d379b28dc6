using System.Globalization;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Busy CPU time of the whole machine from /proc/stat (all processes, in USER_HZ ticks). Subtracting this process's
/// own CPU time gives what other processes took during a round: a benchmark measured while something else competes
/// for two cores is not a measurement of the kernel, and the table says so. Zero where /proc/stat is unavailable.
/// </summary>
internal readonly record struct MachineLoad(TimeSpan Busy, TimeSpan Steal)
{
    private const double UserHz = 100; // Linux reports /proc/stat in USER_HZ, 100 on every mainstream architecture

    public static MachineLoad Now()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long Field(int i) => i < fields.Length ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
            // cpu user nice system idle iowait irq softirq steal
            var busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7);
            return new MachineLoad(TimeSpan.FromSeconds(busy / UserHz), TimeSpan.FromSeconds(Field(8) / UserHz));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return default;
        }
    }

    public static MachineLoad operator -(MachineLoad after, MachineLoad before) => new(after.Busy - before.Busy, after.Steal - before.Steal);

    public static MachineLoad operator +(MachineLoad a, MachineLoad b) => new(a.Busy + b.Busy, a.Steal + b.Steal);
}
