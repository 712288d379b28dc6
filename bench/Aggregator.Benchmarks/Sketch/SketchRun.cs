using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Aggregator.Actors.Sinks.Aggregates;
using Aggregator.Benchmarks.Reporting;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Sketch;

/// <summary>
/// What a DDSketch insert costs on the sink's hot path (the issue's target: ≤ 20 ns), beside the cheapest way to keep
/// an observation at all: storing it in a pre-sized double[]. Single thread, Stopwatch, median of rounds; values are
/// latency-like (log-normal milliseconds with a slow tail) and cycle through a 1 M block so reading them costs the
/// same in both variants.
/// </summary>
internal static class SketchRun
{
    /// <summary>Values per block: 8 MB of doubles, read in order by both variants.</summary>
    public const int BlockLength = 1 << 20;

    public static int Run(SketchOptions options)
    {
        var blocks = options.Inserts / BlockLength;
        var inserts = blocks * BlockLength;
        Console.WriteLine($"sketch: {inserts:N0} inserts per round ({blocks} passes over {BlockLength:N0} values), {options.Rounds} measured rounds after one warm-up, 1 thread");
        Console.WriteLine(SourceRevision.Describe("src/Actors/Sinks/Aggregates"));
        var values = LatencyLike(BlockLength, seed: 2019);

        var sketch = new DDSketch();
        var store = new double[BlockLength];
        var variants = new (string Name, Func<long, double> Round)[]
        {
            ("double[] store (baseline)", n => Store(values, store, n)),
            ("DDSketch.Add", n => Sketch(values, sketch, n)),
            ("Math.Log only (reference)", n => LogOnly(values, n)),
        };

        var results = new List<(string Name, double Median, double Min, double Max, double BytesPerInsert, double Other)>();
        foreach (var (name, round) in variants)
        {
            QuietWait.BeforeVariant();
            round(blocks); // warm-up: JIT tiers up, the sketch's buckets reach their span
            var nanos = new List<double>(options.Rounds);
            var machineBefore = MachineLoad.Now();
            var usageBefore = ProcessUsage.Now();
            // Read around the rounds only: the load probes above and below allocate (they parse /proc/stat).
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.GetTimestamp();
            for (var r = 0; r < options.Rounds; r++)
            {
                var started = Stopwatch.GetTimestamp();
                round(blocks);
                nanos.Add(Stopwatch.GetElapsedTime(started).TotalNanoseconds / inserts);
            }
            var wall = Stopwatch.GetElapsedTime(clock);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            var machine = MachineLoad.Now() - machineBefore;
            var usage = ProcessUsage.Now() - usageBefore;
            var other = Math.Max(0, (machine.Busy + machine.Steal - usage.User - usage.System) / (wall * Environment.ProcessorCount));
            var bytes = allocated / (double)(inserts * options.Rounds);
            nanos.Sort();
            results.Add((name, nanos[nanos.Count / 2], nanos[0], nanos[^1], bytes, other));
            Console.WriteLine($"  {name}: rounds {string.Join(" ", nanos.Select(n => n.ToString("0.00", CultureInfo.InvariantCulture)))} ns/insert; {allocated:N0} bytes allocated over the rounds");
        }

        Console.WriteLine();
        Console.WriteLine($"{"variant",-28} {"median ns",10} {"min ns",8} {"max ns",8} {"B/insert",9} {"M/s",8} {"other",6}");
        foreach (var r in results)
            Console.WriteLine($"{r.Name,-28} {r.Median,10:0.00} {r.Min,8:0.00} {r.Max,8:0.00} {r.BytesPerInsert,9:0.000} {1000 / r.Median,8:0.0} {r.Other,6:P0}");
        if (results.Any(r => r.Other > QuietVerdict.Threshold)) Console.WriteLine("WARNING: other processes took more than 5 % of the CPU during a measurement; the figures are not clean.");

        // The sketch must still be right after all those inserts (each value many times), or the speed means nothing.
        var sorted = values.Order().ToArray();
        Console.WriteLine($"sketch after the run: count {sketch.Count:N0}, {Accuracy(sketch, sorted)}");

        var baseline = results[0];
        var measured = results[1];
        Console.WriteLine(new ResultLine("ddsketch_insert_bytes", measured.BytesPerInsert, "bytes", baseline.BytesPerInsert));
        Console.WriteLine(new ResultLine("ddsketch_insert_ns", measured.Median, "ns", baseline.Median));
        return 0;
    }

    /// <summary>Log-normal around 5 ms (σ = 1), and one value in a hundred from a 20× slower tail: a service's latencies in ms.</summary>
    private static double[] LatencyLike(int count, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            values[i] = Math.Exp(Math.Log(5) + normal) * (random.Next(100) == 0 ? 20 : 1);
        }
        return values;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Sketch(double[] values, DDSketch sketch, long blocks)
    {
        for (long b = 0; b < blocks; b++)
            foreach (var value in values) sketch.Add(value);
        return sketch.Count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Store(double[] values, double[] store, long blocks)
    {
        for (long b = 0; b < blocks; b++)
        {
            var position = 0;
            foreach (var value in values) store[position++] = value;
        }
        return store[^1];
    }

    /// <summary>What a plain <see cref="Math.Log(double)"/> per value costs: why the sketch avoids it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double LogOnly(double[] values, long blocks)
    {
        var sum = 0.0;
        for (long b = 0; b < blocks; b++)
            foreach (var value in values) sum += Math.Log(value);
        return sum;
    }

    private static string Accuracy(DDSketch sketch, double[] sorted)
    {
        var worst = 0.0;
        var parts = new List<string>();
        foreach (var q in new[] { 0.5, 0.9, 0.99, 0.999 })
        {
            var exact = sorted[(long)Math.Floor(q * (sorted.Length - 1))];
            var estimate = sketch.Quantile(q);
            worst = Math.Max(worst, Math.Abs(estimate - exact) / exact);
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"p{q * 100:0.#} {estimate:0.000} (exact {exact:0.000})"));
        }
        return string.Join(", ", parts) + string.Create(CultureInfo.InvariantCulture, $"; worst relative error {worst:P3}");
    }
}
