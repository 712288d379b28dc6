using Aggregator.Actors.Entries;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>Global dimensions (OnceLock), shared state snapshots (State) and the in-flight gauge (increment_scoped).</summary>
public sealed class ProcessWideValueTests : EntryTestKit
{
    private static readonly SharedState<int> ConfigVersion = new("configVersion", 1, v => FieldValue.Of(v));

    public ProcessWideValueTests() : base(settings: new EntrySettings
    {
        Shards = 4,
        GlobalDimensions = new Dictionary<string, string> { ["service"] = "ducks", ["instance"] = "i-1", ["region"] = "global" },
        SharedStates = [ConfigVersion],
    })
    {
    }

    [Fact]
    public void Global_dimensions_are_merged_into_every_entry_and_the_entry_own_win()
    {
        Send(new Open("e1", "Op", new Dictionary<string, string> { ["region"] = "eu" }));
        Send(new Close("e1"));
        var dimensions = ExpectClosed("e1", CloseReason.Completed).Dimensions;
        Assert.Equal("ducks", dimensions["service"]);
        Assert.Equal("i-1", dimensions["instance"]);
        Assert.Equal("eu", dimensions["region"]);
    }

    [Fact]
    public void Each_entry_records_the_shared_state_current_when_it_first_read_it()
    {
        lock (ConfigVersion)
        {
            ConfigVersion.Swap(7);
            Send(new Open("before", "Op"));
            StateOf("before");
            ConfigVersion.Swap(8);
            Send(new Open("after", "Op"));
            Send(new Close("before"));
            Send(new Close("after"));

            var closed = Sink.ReceiveN(2).Cast<ClosedEntry>().ToDictionary(c => c.Id);
            Assert.Equal(7, closed["before"].Fields["configVersion"].Number);
            Assert.Equal(8, closed["after"].Fields["configVersion"].Number);
        }
    }

    [Fact]
    public void The_in_flight_gauge_counts_open_entries_per_operation_and_each_records_it_at_open()
    {
        Send(new Open("a", "Op"));
        StateOf("a");
        Send(new Open("b", "Op"));
        StateOf("b");
        Send(new Open("other", "Other"));
        StateOf("other");
        Assert.Equal(2, StatsOf("Op").InFlight);
        Assert.Equal(1, StatsOf("Other").InFlight);

        Send(new Close("a"));
        Send(new Close("b"));
        var closed = Sink.ReceiveN(2).Cast<ClosedEntry>().ToDictionary(c => c.Id);
        Assert.Equal(1, closed["a"].InFlightAtOpen);
        Assert.Equal(2, closed["b"].InFlightAtOpen);
        AwaitStat("Op", s => s.InFlight, 0);
        Assert.Equal(1, StatsOf("Other").InFlight);
    }
}
