namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// The last line of defence against a hang: a dedicated thread (so a starved thread pool cannot delay it) that, once
/// the run's budget is spent, prints a failed RESULT line for whatever was running and ends the process.
/// </summary>
internal sealed class Watchdog : IDisposable
{
    private readonly ManualResetEventSlim finished = new(false);
    private volatile string current = "throughput_run";

    public Watchdog(TimeSpan budget)
    {
        var thread = new Thread(() =>
        {
            if (finished.Wait(budget)) return;
            Console.WriteLine($"FAILED watchdog: the run exceeded its budget of {budget.TotalSeconds:0} s while measuring {current}");
            Console.WriteLine($"RESULT {current} value=0 unit=msgs/s baseline=0 ratio=0");
            Console.Out.Flush();
            Environment.Exit(3);
        })
        { IsBackground = true, Name = "watchdog" };
        thread.Start();
    }

    /// <summary>The RESULT name reported if the budget runs out now.</summary>
    public string Current
    {
        set => current = value;
    }

    public void Dispose() => finished.Set();
}
