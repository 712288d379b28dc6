using Aggregator.Host.Cluster.State;
using Aggregator.Host.Inspection;
using Aggregator.Host.Pipeline;
using Aggregator.Host.Tests.TestServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aggregator.Host.Tests.ClusterState;

/// <summary>A member's heartbeat row, written from a running service's own figures into the test PostgreSQL.</summary>
public sealed class MemberHeartbeatsTests
{
    private const string Variable = "AGGREGATOR_TEST_POSTGRES";

    /// <summary>Shards held, as a pod's ownership would report them.</summary>
    private sealed class FixedShards(params int[] shards) : IShardHolding
    {
        public IReadOnlyList<int> HeldShards { get; } = shards;
    }

    [ServiceFact(Variable)]
    public async Task A_beat_records_the_shards_held_the_entries_in_flight_and_when_it_was_seen()
    {
        var schema = "hb_" + Guid.NewGuid().ToString("N")[..12];
        await using var host = await TestAggregatorHost.StartAsync();
        await using var state = new ClusterStateStore(Environment.GetEnvironmentVariable(Variable)!, schema);
        try
        {
            await state.InitializeAsync();
            var pipeline = host.App.Services.GetRequiredService<EntryPipeline>();
            var open = Enumerable.Range(0, 3).Select(i => pipeline.Entries.Open("Beating", entryId: $"hb-{i}")).ToList();
            var guards = open.Select(e => e.AcquireGuard("held")).ToList();
            foreach (var entry in open) entry.Close();
            var member = new ClusterMember("aggregator-1", 1, "http://aggregator-1.aggregator-headless:8080", TimeSpan.FromSeconds(5));
            var heartbeats = new MemberHeartbeats(state, new FixedShards(1, 4, 7), host.App.Services.GetRequiredService<InspectionSource>(), pipeline, member,
                TimeProvider.System, NullLogger<MemberHeartbeats>.Instance);

            var before = DateTimeOffset.UtcNow;
            await heartbeats.BeatAsync(CancellationToken.None);

            var row = Assert.Single(await state.MembersAsync());
            Assert.Equal(("aggregator-1", 1, "http://aggregator-1.aggregator-headless:8080"), (row.Node, row.Ordinal, row.Address));
            Assert.Equal([1, 4, 7], row.Shards);
            Assert.Equal(3, row.InFlightEntries);
            Assert.True(row.MemoryBytes > 0);
            Assert.InRange(row.LastSeen, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.True(member.IsReachable(row.LastSeen, row.LastSeen.AddSeconds(15)));
            Assert.False(member.IsReachable(row.LastSeen, row.LastSeen.AddSeconds(16)));
            foreach (var guard in guards) guard.Release();
        }
        finally
        {
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(Variable));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
