using System.Net;
using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Contracts;
using Aggregator.Host.Tests.Api;
using Aggregator.Host.Tests.Lifecycle;
using Aggregator.Host.Tests.TestServices;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// Three cluster-mode processes share 6 shards: any node takes messages for any entry, each entry is worked on by the
/// node that owns its shard and persisted once, and every node's /v1/cluster shows all members and who holds what.
/// </summary>
public sealed class ThreeNodeTests
{

    [ServiceFact("AGGREGATOR_TEST_POSTGRES", "AGGREGATOR_TEST_RABBITMQ")]
    public async Task Entries_sent_to_any_node_are_persisted_once_and_every_node_sees_the_whole_cluster()
    {
        using var cluster = new ClusterNode(Guid.NewGuid().ToString("N")[..10], shards: 6, nodes: 3);
        var nodes = new List<ServiceProcess>();
        try
        {
            foreach (var ordinal in new[] { 0, 1, 2 }) nodes.Add(await cluster.StartAsync(ordinal));
            var ids = Enumerable.Range(0, 60).Select(i => $"t-{i}").ToList();
            for (var i = 0; i < ids.Count; i++)
            {
                // Each entry's messages go to a different node than its owner, most of the time.
                using var api = new ApiClient(new HttpClient { BaseAddress = nodes[i % 3].Address });
                var (status, _, _) = await api.PostNdjsonAsync(
                    $$"""{"op":"open","entry":"{{ids[i]}}","operation":"Spread"}""",
                    $$"""{"op":"add","entry":"{{ids[i]}}","counter":"N","delta":{{i}}}""",
                    $$"""{"op":"close","entry":"{{ids[i]}}"}""");
                Assert.Equal(HttpStatusCode.Accepted, status);
            }

            await cluster.AssertPersistedAsync(ids.Select((id, i) => (id, (long)i)), "N");
            await cluster.AssertAggregatesAsync("Spread");

            // An open entry is answered by every node: the one holding its shard asks nobody, the others ask it.
            using (var sender = new ApiClient(new HttpClient { BaseAddress = nodes[0].Address }))
            {
                await sender.PostNdjsonAsync("""{"op":"open","entry":"still-open","operation":"Spread"}""", """{"op":"acquireGuard","entry":"still-open","guard":"g"}""");
            }
            foreach (var node in nodes)
            {
                using var asker = new ApiClient(new HttpClient { BaseAddress = node.Address });
                var state = await Eventually.GetAsync(async () =>
                {
                    var (status, body, _) = await asker.GetAsync("/v1/entries/still-open");
                    return (status == HttpStatusCode.OK, body);
                }, $"the open entry from {node.Address}", TimeSpan.FromSeconds(15));
                Assert.Equal("open", state.GetProperty("state").GetString());
                Assert.Equal(["guard:g"], state.GetProperty("pending").EnumerateArray().Select(p => p.GetString()));
            }

            using var client = new ApiClient(new HttpClient { BaseAddress = nodes[1].Address });
            var view = await Eventually.GetAsync(async () =>
            {
                var (_, body, _) = await client.GetAsync("/v1/cluster");
                var members = body.GetProperty("cluster").GetProperty("members").EnumerateArray().ToList();
                return (members.Count == 3 && members.All(m => m.GetProperty("reachable").GetBoolean()), body);
            }, "three reachable members in /v1/cluster");
            var cl = view.GetProperty("cluster");
            Assert.Equal([[0, 3], [1, 4], [2, 5]], cl.GetProperty("members").EnumerateArray()
                .OrderBy(m => m.GetProperty("ordinal").GetInt32())
                .Select(m => m.GetProperty("shards").EnumerateArray().Select(s => s.GetInt32()).ToArray()));
            Assert.All(cl.GetProperty("shards").EnumerateArray(), s => Assert.NotEqual(System.Text.Json.JsonValueKind.Null, s.GetProperty("owner").ValueKind));
            Assert.Equal(2, cl.GetProperty("minShardsPerMember").GetInt32());
            Assert.Equal(2, cl.GetProperty("maxShardsPerMember").GetInt32());
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
