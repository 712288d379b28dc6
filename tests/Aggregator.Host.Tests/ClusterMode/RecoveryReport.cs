using Xunit.Abstractions;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// The fault tests' recovery times, as the cluster issue asks them reported: each line goes to the test's output and
/// is appended to the file <c>AGGREGATOR_TEST_RECOVERY_REPORT</c> names, which scripts/test.sh prints after the run
/// (xunit shows test output only for failures or at detailed verbosity).
/// </summary>
internal static class RecoveryReport
{
    private static readonly object Gate = new();

    public static void Add(ITestOutputHelper? output, string line)
    {
        output?.WriteLine(line);
        var path = Environment.GetEnvironmentVariable("AGGREGATOR_TEST_RECOVERY_REPORT");
        if (string.IsNullOrEmpty(path)) return;
        lock (Gate) File.AppendAllText(path, line + Environment.NewLine);
    }
}
