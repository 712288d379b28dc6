using System.Diagnostics;
using Aggregator.Actors.Kernel;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>
/// The end of a round whose actors outlive the count that completes it (a sink counts an entry, or a parent, before
/// its actors have stopped): the next round must start with none of them alive, or it would measure their stopping.
/// </summary>
internal static class RoundTeardown
{
    /// <summary>Waits until no more actors are alive than before the round; a round timeout when some never stop.</summary>
    public static void WaitForActors(ActorSystem system, long liveBefore, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (system.Instrumentation.LiveActors > liveBefore)
        {
            if (Stopwatch.GetTimestamp() > deadline)
                throw new RoundTimeoutException($"{system.Instrumentation.LiveActors - liveBefore} actors of the round still alive");
            Thread.Sleep(1);
        }
    }
}
