namespace Aggregator.Benchmarks.Reporting;

/// <summary>
/// The kernel's load average before a run: a reader of the figures can tell a busy machine from a slow build without
/// re-running it. "unknown" where /proc is not there.
/// </summary>
internal static class LoadAverage
{
    public static string Read()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); }
        catch (IOException) { return "unknown"; }
    }
}
