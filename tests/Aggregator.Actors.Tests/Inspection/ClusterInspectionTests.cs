using Aggregator.Actors.Inspection;
using Aggregator.Actors.Sharding;
using Aggregator.Actors.Sinks;
using static Aggregator.Actors.Tests.Inspection.Samples;

namespace Aggregator.Actors.Tests.Inspection;

public sealed class ClusterInspectionTests
{
    [Fact]
    public void Top_lists_rank_by_busy_time_in_the_window_and_by_mailbox_depth_now()
    {
        var window = Window(
            At(100, [Actor("/user/a", busySeconds: 90), Actor("/user/b", busySeconds: 0), Actor("/user/c", busySeconds: 1)]),
            At(110, [Actor("/user/a", busySeconds: 91, depth: 3), Actor("/user/b", busySeconds: 5, messages: 500), Actor("/user/c", busySeconds: 3, depth: 9), Actor("/user/idle")]));

        var view = ClusterInspection.Inspect("node-a", window, [], new InspectionSettings(), top: 2);

        Assert.Equal(["/user/b", "/user/c"], view.TopByBusyTime.Select(a => a.Path));
        var b = view.TopByBusyTime[0];
        Assert.Equal(5, b.BusySeconds, 6);
        Assert.Equal(0.5, b.Utilization, 6);
        Assert.Equal(50, b.MessagesPerSecond, 6);
        Assert.Equal(["/user/c", "/user/a"], view.TopByMailboxDepth.Select(a => a.Path));
    }

    [Fact]
    public void The_node_reports_cpu_and_actor_utilization_over_the_window()
    {
        var window = Window(
            At(100, types: [Type("EntryActor", busySeconds: 10)], cpuSeconds: 50, processors: 4),
            At(110, types: [Type("EntryActor", busySeconds: 20)], cpuSeconds: 70, processors: 4));

        var node = ClusterInspection.Inspect("node-a", window, [], new InspectionSettings(), 10).Node;

        Assert.Equal("node-a", node.Name);
        Assert.Equal(10, node.WindowSeconds, 6);
        Assert.Equal(0.5, node.CpuUtilization, 6);   // 20 s of CPU in 10 s on 4 cores
        Assert.Equal(0.25, node.ActorUtilization, 6); // 10 s busy in 10 s on 4 cores
        Assert.Equal([3L, 2, 1], node.GcCollections);
    }

    [Fact]
    public void Regions_show_each_shard_with_its_entities()
    {
        var entries = RegionViews.FromState(new ShardRegionState("entries", [new ShardState(0, 3, 1), new ShardState(1, 2, 0)]));
        var sinks = RegionViews.FromSinks("sinks", [Sink(1, buffered: 4, dropped: 2), Sink(0, buffered: 1)]);

        Assert.Equal(5, entries.EntityCount);
        Assert.Equal([3L, 2], entries.Shards.Select(s => s.Entities));
        Assert.Equal(1, entries.Shards[0].Tombstones);
        Assert.Equal(5, sinks.EntityCount);
        Assert.Equal([0, 1], sinks.Shards.Select(s => s.Shard));
        Assert.Equal(4, sinks.Shards[1].JournalLag);
        Assert.Equal(2, sinks.Shards[1].Dropped);
        Assert.Equal("Closed", sinks.Shards[1].Breaker);
    }

    private static SinkShardSnapshot Sink(int shard, long buffered = 0, long dropped = 0) =>
        new(shard, "sink-" + shard, true, 10, buffered, 10 - buffered, 0, dropped, 0, 0, 0, 10, 10, "Closed");
}
