namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// Runs one variant the same way as every other: calibrate the round size to the target duration, warm up, then
/// take several measured rounds and keep their rates (the median is what gets reported). Allocation and GC counts
/// are read process-wide around the measured rounds, so work done on actor and reader threads counts too.
/// </summary>
internal static class Measurement
{
    private const long FirstCalibrationSize = 20_000;
    private const long MaxRoundSize = 2_000_000_000;

    public static async Task<Measured> RunAsync(IThroughputVariant variant, MeasurementPlan plan)
    {
        var size = await CalibrateAsync(variant, plan).ConfigureAwait(false);
        // Warm-up at full size; calibration ran partly on unoptimised code, so size the measured rounds from the warm-up.
        var warmUp = await variant.RunRoundAsync(size, plan.RoundTimeout).ConfigureAwait(false);
        size = Math.Clamp((long)(warmUp.Rate * plan.RoundTarget.TotalSeconds), FirstCalibrationSize, MaxRoundSize);

        var rates = new List<double>(plan.Rounds);
        long moved = 0, allocated = 0;
        int gen0 = 0, gen1 = 0, gen2 = 0;
        var usage = default(ProcessUsage);
        var machine = default(MachineLoad);
        var poolThreads = 0;
        var window = TimeSpan.Zero; // wall time around the whole round (set-up and checks included), for the CPU shares
        for (var round = 0; round < plan.Rounds; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var usageBefore = ProcessUsage.Now();
            var machineBefore = MachineLoad.Now();
            var windowStarted = System.Diagnostics.Stopwatch.GetTimestamp();

            var result = await variant.RunRoundAsync(size, plan.RoundTimeout).ConfigureAwait(false);

            window += System.Diagnostics.Stopwatch.GetElapsedTime(windowStarted);
            usage += ProcessUsage.Now() - usageBefore;
            machine += MachineLoad.Now() - machineBefore;

            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            gen0 += GC.CollectionCount(0) - g0;
            gen1 += GC.CollectionCount(1) - g1;
            gen2 += GC.CollectionCount(2) - g2;
            poolThreads = Math.Max(poolThreads, ThreadPool.ThreadCount);
            moved += result.Messages;
            rates.Add(result.Rate);
        }
        return new Measured(variant.Name, rates, moved / plan.Rounds, (double)allocated / moved, gen0, gen1, gen2)
        {
            CpuShare = (usage.User + usage.System) / (window * Environment.ProcessorCount),
            SystemShare = usage.System / (usage.User + usage.System + TimeSpan.FromTicks(1)),
            PoolThreads = poolThreads,
            ContextSwitchesPerThousand = usage.ContextSwitches * 1000.0 / moved,
            OtherProcessesShare = Math.Max(0, (machine.Busy - usage.User - usage.System + machine.Steal) / (window * Environment.ProcessorCount)),
        };
    }

    /// <summary>Grows the round until it lasts long enough to time, then scales it to the target duration.</summary>
    private static async Task<long> CalibrateAsync(IThroughputVariant variant, MeasurementPlan plan)
    {
        var size = FirstCalibrationSize;
        var floor = plan.RoundTarget / 8;
        while (true)
        {
            var result = await variant.RunRoundAsync(size, plan.RoundTimeout).ConfigureAwait(false);
            if (result.Elapsed >= floor || size >= MaxRoundSize)
                return Math.Clamp((long)(result.Rate * plan.RoundTarget.TotalSeconds), FirstCalibrationSize, MaxRoundSize);
            size = Math.Min(size * 4, MaxRoundSize);
        }
    }
}
