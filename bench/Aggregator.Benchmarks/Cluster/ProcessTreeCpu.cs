using System.Globalization;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// CPU time of a broker or database started for this run: every process whose command line contains a directory
/// (the private PostgreSQL's or RabbitMQ's temp dir, which bench/cluster.sh exports) and all their descendants, from
/// /proc/*/stat (utime + stime). Processes that exited between two readings are missed; PostgreSQL backends live as
/// long as the Host's pooled connections, so little is. Zero when the directory is unknown or /proc is not there.
/// </summary>
internal sealed class ProcessTreeCpu(string? directory)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The private PostgreSQL of bench/cluster.sh (its PG_DIR in AGGREGATOR_BENCH_PG_DIR).</summary>
    public static readonly ProcessTreeCpu Postgres = new(Environment.GetEnvironmentVariable("AGGREGATOR_BENCH_PG_DIR"));

    /// <summary>The private RabbitMQ of bench/cluster.sh (its RABBIT_DIR in AGGREGATOR_BENCH_RABBIT_DIR).</summary>
    public static readonly ProcessTreeCpu RabbitMq = new(Environment.GetEnvironmentVariable("AGGREGATOR_BENCH_RABBIT_DIR"));

    public bool Known => !string.IsNullOrEmpty(directory);

    public TimeSpan Read()
    {
        if (!Known || !Directory.Exists("/proc")) return TimeSpan.Zero;
        var stats = new Dictionary<int, (int Parent, long Ticks)>();
        var roots = new HashSet<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // After "pid (comm) ": state ppid ... utime is field 14, stime 15 (1-based over the whole line).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                stats[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture),
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(directory!, StringComparison.Ordinal)) roots.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // Gone or not ours to read.
            }
        }
        long ticks = 0;
        foreach (var (pid, (_, own)) in stats)
        {
            if (InTree(pid, stats, roots)) ticks += own;
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static bool InTree(int pid, Dictionary<int, (int Parent, long Ticks)> stats, HashSet<int> roots)
    {
        for (var depth = 0; depth < 16 && pid > 1; depth++)
        {
            if (roots.Contains(pid)) return true;
            if (!stats.TryGetValue(pid, out var s)) return false;
            pid = s.Parent;
        }
        return false;
    }
}
