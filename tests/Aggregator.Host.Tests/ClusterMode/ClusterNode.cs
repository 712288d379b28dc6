using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Contracts;
using Aggregator.Host.Tests.Api;
using Aggregator.Host.Tests.Lifecycle;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// The cluster of one test: cluster-mode service processes on the test PostgreSQL and RabbitMQ sharing a schema, a
/// queue prefix and a temp directory no other test uses (so they form one cluster, and only one).
/// </summary>
internal sealed class ClusterNode : IDisposable
{
    /// <summary>The nodes' data directories live under it; deleted with the cluster.</summary>
    private readonly string root = TestAggregatorHost.NewTempRoot();

    public ClusterNode(string id, int shards, int nodes)
    {
        (Id, Shards, Nodes) = (id, shards, nodes);
    }

    public string Id { get; }
    public int Shards { get; }
    public int Nodes { get; }
    public string Schema => "cl_" + Id;
    public string QueuePrefix => "q" + Id;
    public static string Postgres => Environment.GetEnvironmentVariable("AGGREGATOR_TEST_POSTGRES")!;
    public static string RabbitMq => Environment.GetEnvironmentVariable("AGGREGATOR_TEST_RABBITMQ")!;

    /// <summary>Starts the process for <paramref name="ordinal"/> and waits until it holds all its shards (ready).</summary>
    public Task<ServiceProcess> StartAsync(int ordinal) => StartAsync(ordinal, Nodes);

    /// <summary>As <see cref="StartAsync(int)"/> with another pod count, as after a scale-out or scale-in.</summary>
    public Task<ServiceProcess> StartAsync(int ordinal, int nodes) =>
        ServiceProcess.StartAsync(Path.Combine(root, $"node-{ordinal}"),
            "--Serilog:MinimumLevel:Default=Warning",
            "--Aggregator:Mode=cluster",
            "--Aggregator:Store=postgres",
            $"--Aggregator:PostgresConnectionString={Postgres}",
            $"--Aggregator:PostgresSchema={Schema}",
            $"--Aggregator:Cluster:RabbitMqUri={RabbitMq}",
            $"--Aggregator:Cluster:QueuePrefix={QueuePrefix}",
            $"--Aggregator:Cluster:Shards={Shards}",
            $"--Aggregator:Cluster:Nodes={nodes}",
            $"--Aggregator:Cluster:Ordinal={ordinal}",
            $"--Aggregator:Cluster:NodeName=node-{ordinal}",
            "--Aggregator:Cluster:AdvertiseUrl={url}",
            "--Aggregator:Cluster:CheckpointIntervalSeconds=1",
            "--Aggregator:Cluster:HeartbeatIntervalSeconds=1",
            "--Aggregator:Sinks:AggregateFlushSeconds=1");

    /// <summary>
    /// Waits until each entry is in the cluster's journal, closed as Completed with <paramref name="counter"/> at its
    /// expected value. The journal is unique by entry id, so "in it with the right counter" is "persisted exactly once,
    /// every message applied once".
    /// </summary>
    public async Task AssertPersistedAsync(IEnumerable<(string Id, long Value)> expected, string counter)
    {
        await using var journal = new PostgresSinkStore(Postgres, Schema);
        await journal.InitializeAsync();
        foreach (var (id, value) in expected)
        {
            var entry = await Eventually.GetAsync(async () => await journal.GetEntryAsync(id) is { } e ? (true, e) : (false, null!), $"{id} persisted", TimeSpan.FromSeconds(60));
            Assert.Equal(CloseReason.Completed, entry.CloseReason);
            Assert.Equal(value, entry.Counters.GetValueOrDefault(counter));
        }
    }

    /// <summary>
    /// Waits until the stored aggregates of <paramref name="operation"/> equal a recomputation from its journaled
    /// entries (<see cref="AggregateRecomputation"/>); the pods' sinks flush them every second. Fails with the
    /// differences still there after a minute.
    /// </summary>
    public async Task AssertAggregatesAsync(string operation)
    {
        await using var store = new PostgresSinkStore(Postgres, Schema);
        await store.InitializeAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<string> differences;
        while ((differences = await AggregateRecomputation.DifferencesAsync(store, operation)).Count > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.True(differences.Count == 0, $"stored aggregates of {operation} differ from a recomputation:\n{string.Join("\n", differences)}");
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }
}
