using System.Diagnostics;
using System.Globalization;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// Waits out a phase's warm-up until every Host process has stopped compiling: at least the fixed warm-up, then until
/// each one's <c>dotnet_jit_compiled_methods_total</c> grew by fewer than <see cref="SettledPerSecond"/> a second,
/// at most <see cref="Longest"/>. A fixed warm-up measured the cluster processes while their JIT still took a quarter
/// of their CPU (tiered recompilation of Npgsql, RabbitMQ.Client, Kestrel and our code, 20–30 s after start), so the
/// figures were start-up cost, not the steady state a long-running service has.
/// </summary>
internal static class JitSettling
{
    public const double SettledPerSecond = 20;
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(2);

    /// <summary>Waits, then returns one line saying how long and how settled the JIT was, for the log.</summary>
    public static async Task<string> WaitAsync(IReadOnlyList<HostProcess> processes, TimeSpan warmUp)
    {
        var started = Stopwatch.GetTimestamp();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Task.Delay(warmUp).ConfigureAwait(false);
        var before = await CountsAsync(http, processes).ConfigureAwait(false);
        while (true)
        {
            await Task.Delay(Step).ConfigureAwait(false);
            var after = await CountsAsync(http, processes).ConfigureAwait(false);
            var fastest = before.Zip(after, (b, a) => (a - b) / Step.TotalSeconds).Max();
            before = after;
            var waited = Stopwatch.GetElapsedTime(started);
            if (fastest < SettledPerSecond || waited >= Longest)
            {
                var state = fastest < SettledPerSecond ? "settled" : "still compiling";
                return string.Create(CultureInfo.InvariantCulture, $"warm-up {waited.TotalSeconds:0.0} s: JIT {state}, {fastest:0} methods/s in the busiest process");
            }
        }
    }

    private static async Task<double[]> CountsAsync(HttpClient http, IReadOnlyList<HostProcess> processes)
    {
        var counts = new double[processes.Count];
        for (var i = 0; i < processes.Count; i++)
        {
            var text = await http.GetStringAsync(new Uri(processes[i].Address, "/metrics")).ConfigureAwait(false);
            counts[i] = Compiled(text);
        }
        return counts;
    }

    private static double Compiled(string metrics)
    {
        const string name = "dotnet_jit_compiled_methods_total ";
        foreach (var line in metrics.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(name, StringComparison.Ordinal)) return double.Parse(line[name.Length..], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException("/metrics has no dotnet_jit_compiled_methods_total: is the Host older than the benchmark?");
    }
}
