using System.Globalization;

namespace Aggregator.Benchmarks.Load;

/// <summary>
/// CPU time of this process's threads grouped by thread name, from /proc/self/task/*/stat (user + system, in clock
/// ticks of 10 ms): which kind of thread spent a phase's CPU. The thread pool runs Kestrel, the actors and the client's
/// senders alike, so it is one group; the producers (the client's or EntryRegion's hot path), the socket event loop
/// and the rest are separate. Empty where /proc is not there.
/// </summary>
internal static class ThreadCpu
{
    private const double TickSeconds = 0.01;

    public static Dictionary<string, long> Read()
    {
        var byName = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                string stat;
                try
                {
                    stat = File.ReadAllText(Path.Combine(task, "stat"));
                }
                catch (IOException)
                {
                    continue; // the thread ended
                }
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < open) continue;
                var name = Group(stat[(open + 1)..close]);
                var fields = stat[(close + 2)..].Split(' ');
                // After the name: state is field 3, utime field 14, stime field 15 (1-based over the whole line).
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                byName[name] = byName.GetValueOrDefault(name) + ticks;
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
        return byName;
    }

    /// <summary>"name: 1.23 s (45 %)" per group with at least 1 % of the difference, largest first.</summary>
    public static string Describe(Dictionary<string, long> before, Dictionary<string, long> after)
    {
        var spent = after.Select(kv => (Name: kv.Key, Ticks: kv.Value - before.GetValueOrDefault(kv.Key))).Where(x => x.Ticks > 0).ToList();
        var total = spent.Sum(x => x.Ticks);
        if (total == 0) return "no per-thread CPU figures";
        return string.Join(", ", spent.OrderByDescending(x => x.Ticks).Where(x => x.Ticks * 100 >= total)
            .Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Name} {x.Ticks * TickSeconds:0.00} s ({(double)x.Ticks / total:P0})")));
    }

    private static string Group(string name) => name switch
    {
        _ when name.StartsWith(".NET TP Worker", StringComparison.Ordinal) || name.StartsWith(".NET ThreadPool", StringComparison.Ordinal) => "thread pool",
        _ when name.StartsWith("load-", StringComparison.Ordinal) => "producers",
        _ when name.StartsWith(".NET Sockets", StringComparison.Ordinal) => "socket events",
        _ => name,
    };
}
