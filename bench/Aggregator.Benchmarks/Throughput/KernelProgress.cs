using Aggregator.Actors.Kernel;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>What the kernel's own instrumentation says about a round's actors, for the message of a timed-out round.</summary>
internal static class KernelProgress
{
    public static string Describe(ActorSystem system, IReadOnlyList<IActorRef> actors)
    {
        long processed = 0, depth = 0;
        var alive = 0;
        foreach (var actor in actors)
        {
            if (system.Instrumentation.Snapshot(actor) is not { } snapshot) continue;
            alive++;
            processed += snapshot.MessagesProcessed;
            depth += snapshot.MailboxDepth;
        }
        return $"kernel: {alive}/{actors.Count} actors alive, {processed} messages processed in total, {depth} still queued; " +
               $"thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} pending items";
    }
}
