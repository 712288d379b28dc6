using Aggregator.Host.Cluster.State;
using Aggregator.Host.Tests.TestServices;
using Npgsql;

namespace Aggregator.Host.Tests.ClusterState;

/// <summary>Checkpoints with fencing and the membership table, on the test PostgreSQL (a schema per test).</summary>
public sealed class ClusterStateStoreTests : IAsyncLifetime
{
    private const string Variable = "AGGREGATOR_TEST_POSTGRES";
    private readonly string schema = "cs_" + Guid.NewGuid().ToString("N")[..12];
    private ClusterStateStore store = null!;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } connection) return;
        store = new ClusterStateStore(connection, schema);
        await store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (store is null) return;
        await store.DisposeAsync();
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(Variable));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    [ServiceFact(Variable)]
    public async Task A_first_owner_gets_epoch_1_and_no_checkpoint_and_a_successor_gets_the_saved_one()
    {
        var first = await store.AcquireAsync(7, "aggregator-0");
        Assert.Equal((1L, (byte[]?)null), (first.Epoch, first.Checkpoint));
        Assert.Empty(first.Covered);

        var at = DateTimeOffset.Parse("2026-11-21T10:00:00Z");
        Assert.True(await store.SaveCheckpointAsync(7, first.Epoch, [1, 2, 3], ["m-1", "m-2"], at));
        var second = await store.AcquireAsync(7, "aggregator-1");

        Assert.Equal(2, second.Epoch);
        Assert.Equal(new byte[] { 1, 2, 3 }, second.Checkpoint);
        Assert.Equal(at, second.CheckpointTakenAt);
        Assert.Equal(["m-1", "m-2"], second.Covered);
    }

    [ServiceFact(Variable)]
    public async Task A_previous_owner_is_fenced_out_once_a_successor_acquired_the_shard()
    {
        var old = await store.AcquireAsync(3, "aggregator-0");
        var successor = await store.AcquireAsync(3, "aggregator-1");
        Assert.True(await store.SaveCheckpointAsync(3, successor.Epoch, [9], [], DateTimeOffset.UtcNow));

        var saved = await store.SaveCheckpointAsync(3, old.Epoch, [0], [], DateTimeOffset.UtcNow);

        Assert.False(saved);
        Assert.Equal(new byte[] { 9 }, (await store.AcquireAsync(3, "aggregator-2")).Checkpoint);
    }

    [ServiceFact(Variable)]
    public async Task Shards_are_independent()
    {
        var a = await store.AcquireAsync(0, "p");
        var b = await store.AcquireAsync(1, "p");
        await store.SaveCheckpointAsync(0, a.Epoch, [0], [], DateTimeOffset.UtcNow);
        await store.SaveCheckpointAsync(1, b.Epoch, [1], [], DateTimeOffset.UtcNow);

        Assert.Equal(new byte[] { 0 }, (await store.AcquireAsync(0, "q")).Checkpoint);
        Assert.Equal(new byte[] { 1 }, (await store.AcquireAsync(1, "q")).Checkpoint);
    }

    [ServiceFact(Variable)]
    public async Task Heartbeats_upsert_one_row_per_node_and_list_by_ordinal()
    {
        var started = DateTimeOffset.Parse("2026-11-21T09:00:00Z");
        await store.HeartbeatAsync(new MemberHeartbeat("aggregator-1", 1, "http://aggregator-1:8080", [1, 3], started, started.AddSeconds(5), 12.5, 1000, 0.25, 4));
        await store.HeartbeatAsync(new MemberHeartbeat("aggregator-0", 0, "http://aggregator-0:8080", [0, 2], started, started.AddSeconds(5), 1, 2000, 0.5, 0));
        await store.HeartbeatAsync(new MemberHeartbeat("aggregator-1", 1, "http://aggregator-1:8080", [1, 3], started, started.AddSeconds(10), 20, 1500, 0.75, 9));

        var members = await store.MembersAsync();

        Assert.Equal(["aggregator-0", "aggregator-1"], members.Select(m => m.Node));
        var one = members[1];
        Assert.Equal(started.AddSeconds(10), one.LastSeen);
        Assert.Equal([1, 3], one.Shards);
        Assert.Equal((20.0, 1500L, 0.75, 9L), (one.CpuPercent, one.MemoryBytes, one.Utilization, one.InFlightEntries));

        await store.ForgetMemberAsync("aggregator-1");
        Assert.Equal(["aggregator-0"], (await store.MembersAsync()).Select(m => m.Node));
    }

    [ServiceFact(Variable)]
    public async Task Initializing_twice_and_concurrently_is_harmless()
    {
        var connection = Environment.GetEnvironmentVariable(Variable)!;
        var others = Enumerable.Range(0, 4).Select(_ => new ClusterStateStore(connection, schema)).ToList();

        await Task.WhenAll(others.Select(o => o.InitializeAsync()));

        Assert.Equal(1, (await others[0].AcquireAsync(11, "x")).Epoch);
        foreach (var other in others) await other.DisposeAsync();
    }
}
