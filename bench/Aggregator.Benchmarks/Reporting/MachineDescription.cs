namespace Aggregator.Benchmarks.Reporting;

/// <summary>
/// The first words of every run header: figures from a 2-core box and a 16-core one, or from workstation and server
/// GC, are not comparable, so each run says which it had.
/// </summary>
internal static class MachineDescription
{
    /// <summary><c>2 logical cores, .NET 10.0.x</c>.</summary>
    public static string Cores => $"{Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}";

    /// <summary><see cref="Cores"/>, then <c>GC server=False</c>.</summary>
    public static string CoresAndGc => $"{Cores}, GC server={System.Runtime.GCSettings.IsServerGC}";
}
