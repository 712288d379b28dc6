using System.Diagnostics;
using System.Globalization;

namespace Aggregator.Benchmarks.Reporting;

/// <summary>
/// Which source a run measured: the commit and how many files under the measured folders were uncommitted, so a
/// figure pasted into bench/RESULTS.md can be traced to the code behind it. "unknown" outside a git checkout.
/// </summary>
internal static class SourceRevision
{
    /// <summary><c>source: commit abc1234; uncommitted files in a: 0, in b: 2</c>.</summary>
    public static string Describe(params string[] paths) =>
        $"source: commit {Git("rev-parse --short HEAD")}; uncommitted files in {string.Join(", in ", paths.Select(path => $"{path}: {UncommittedCount(path)}"))}";

    private static string UncommittedCount(string path)
    {
        var status = Git($"status --short -- {path}");
        return status == "unknown" ? status : status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ToString(CultureInfo.InvariantCulture);
    }

    private static string Git(string arguments)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (git is null) return "unknown";
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
