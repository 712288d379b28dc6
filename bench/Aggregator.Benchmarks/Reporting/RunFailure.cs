using System.Diagnostics;

namespace Aggregator.Benchmarks.Reporting;

/// <summary>
/// How a command gives up on a timed-out round or a lost message: a FAILED line, then a zero RESULT so scripts that read
/// the last line still get a verdict, then the process ends (a hung kernel may hold threads that would keep it alive).
/// </summary>
internal static class RunFailure
{
    /// <summary>Never returns; typed so callers can write <c>throw RunFailure.Exit(…)</c> and the compiler knows it.</summary>
    /// <param name="what">What failed and why, after <c>FAILED </c>.</param>
    /// <param name="zero">The RESULT line the run would have ended with, at zero.</param>
    public static UnreachableException Exit(string what, ResultLine zero)
    {
        Console.WriteLine($"FAILED {what}");
        Console.WriteLine(zero);
        Console.Out.Flush();
        Environment.Exit(1);
        return new UnreachableException();
    }
}
