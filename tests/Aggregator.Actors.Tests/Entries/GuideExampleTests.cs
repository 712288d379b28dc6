using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Sinks;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>The example at the top of docs/entries.md, verbatim, so the guide cannot rot.</summary>
public sealed class GuideExampleTests
{
    [Fact]
    public async Task The_in_process_example_of_the_guide_runs_and_emits_what_it_says()
    {
        await using var system = ActorSystem.Create("service", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        var sink = CollectingSink.Start(system);
        var entries = EntryRegion.Start(system, sink.Ref, new EntrySettings
        {
            GlobalDimensions = new Dictionary<string, string> { ["service"] = "ducks", ["version"] = "1.4.2" },
        });

        using (var entry = entries.Open("GetDucks", new Dictionary<string, string> { ["tenant"] = "t1" },
                                        forceFlushAfter: TimeSpan.FromSeconds(30)))
        {
            entry.Set("status", 200).Add("ducks", 3).Observe("payload", 512, FieldUnit.Bytes);
            entry.StartTimer("total");

            var db = entry.OpenSlot("db");
            _ = Task.Run(() => { db.Set("table", "ducks").Add("rows", 42); db.Complete(); });

            var upload = entry.AcquireGuard("upload");
            _ = Task.Run(async () => { await Task.Delay(10); upload.Release(); });
        }

        await sink.WhenCount(1).WaitAsync(TimeSpan.FromSeconds(10));
        var closed = sink.Entries[0];
        Assert.Equal(("GetDucks", CloseReason.Completed, 1L), (closed.Operation, closed.CloseReason, closed.InFlightAtOpen));
        Assert.Equal(["db.table", "status", "total"], closed.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, closed.Counters["ducks"]);
        Assert.Equal(42, closed.Counters["db.rows"]);
        Assert.Equal(["service", "tenant", "version"], closed.Dimensions.Keys.Order());
    }
}
