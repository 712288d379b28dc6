using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Sinks;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>100,000 entries open at the same time, written by several threads at once: nothing lost, nothing doubled.</summary>
public sealed class EntryStressTests
{
    private const int Threads = 4;
    private const int PerThread = 25_000;

    [Fact]
    public async Task One_hundred_thousand_concurrent_entries_from_several_threads_each_close_exactly_once()
    {
        await using var system = ActorSystem.Create("stress", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        var sink = CollectingSink.Start(system);
        var region = EntryRegion.Start(system, sink.Ref, new EntrySettings { Shards = 16 });
        var handles = new (EntryHandle Entry, GuardHandle Guard, SlotHandle? Slot)[Threads * PerThread];

        // Phase 1: every thread opens its entries and holds each open with a guard (every tenth also with a Wait slot).
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                var index = thread * PerThread + i;
                var entry = region.Open("Stress", entryId: $"t{thread}-{i}");
                entry.Add("n", index).Set("thread", thread);
                var slot = index % 10 == 0 ? entry.OpenSlot("sub") : null;
                handles[index] = (entry, entry.AcquireGuard("work"), slot);
            }
        });
        await WaitUntil(() => region.Statistics.Snapshot("Stress")!.InFlight == Threads * PerThread, "all entries open at once");
        Assert.Equal(Threads * PerThread, (await region.GetStateAsync()).EntityCount);

        // Phase 2: other threads than the openers finish them, in reverse order.
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            for (var i = PerThread - 1; i >= 0; i--)
            {
                var (entry, guard, slot) = handles[(Threads - 1 - thread) * PerThread + i];
                entry.Add("n", 1);
                slot?.Add("rows", 2);
                slot?.Complete();
                entry.Close();
                guard.Release();
            }
        });
        await WaitUntil(() => sink.Count == Threads * PerThread, "every entry closed");

        var closed = sink.Entries;
        Assert.Equal(Threads * PerThread, closed.Select(c => c.Id).Distinct().Count());
        foreach (var entry in closed)
        {
            var dash = entry.Id.IndexOf('-');
            var index = int.Parse(entry.Id[1..dash]) * PerThread + int.Parse(entry.Id[(dash + 1)..]);
            Assert.Equal(CloseReason.Completed, entry.CloseReason);
            Assert.Equal(index + 1L, entry.Counters["n"]);
            if (index % 10 == 0) Assert.Equal(2, entry.Counters["sub.rows"]);
            Assert.Empty(entry.Pending);
        }
        var stats = region.Statistics.Snapshot("Stress")!;
        Assert.Equal(0, stats.InFlight);
        Assert.Equal((0L, 0L, 0L, 0L), (stats.Late, stats.Orphans, stats.Rejected, stats.UseAfterClose));
        await WaitUntil(() => region.GetStateAsync().Result.EntityCount == 0, "every entry actor retired");
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }
}
