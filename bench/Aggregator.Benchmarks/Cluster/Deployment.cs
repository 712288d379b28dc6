using Npgsql;
using RabbitMQ.Client;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// What one phase measures: the Host processes, where their journal is counted, and what to drop afterwards. Every
/// deployment gets a fresh PostgreSQL schema and queue prefix (or a fresh SQLite directory), so no phase sees another's rows.
/// </summary>
internal sealed class Deployment : IAsyncDisposable
{
    private readonly string root;
    private readonly string? schema;
    private readonly (string Prefix, int Shards)? queues;
    private readonly ServiceEndpoints endpoints;

    private Deployment(string label, string root, string? schema, (string, int)? queues, ServiceEndpoints endpoints, IReadOnlyList<HostProcess> processes, JournalCounter journal, ClusterFeed feed)
    {
        (Label, this.root, this.schema, this.queues, this.endpoints, Processes, Journal, Feed) = (label, root, schema, queues, endpoints, processes, journal, feed);
    }

    public string Label { get; }
    public IReadOnlyList<HostProcess> Processes { get; }
    public JournalCounter Journal { get; }

    /// <summary>How the producers reach it: over HTTP, or straight to <see cref="ShardQueues"/> (cluster deployments only).</summary>
    public ClusterFeed Feed { get; }

    /// <summary>The cluster's RabbitMQ, queue prefix and shard count, for a producer that publishes to the queues itself; null for a single node.</summary>
    public (Uri RabbitMq, string Prefix, int Shards)? ShardQueues => queues is { } q ? (new Uri(endpoints.RabbitMq), q.Prefix, q.Shards) : null;

    /// <summary>The baseline: the default single-node mode, SQLite in the process's data directory.</summary>
    public static Task<Deployment> SingleSqliteAsync(ServiceEndpoints endpoints) =>
        StartAsync("single, SQLite", endpoints, nodes: 1, schema: null, shards: 0, (_, _) => [],
            (root, _) => JournalCounter.Sqlite(Path.Combine(root, "node-0", "aggregator.db")));

    /// <summary>The single-node mode on the cluster's PostgreSQL: what the store costs without RabbitMQ.</summary>
    public static Task<Deployment> SinglePostgresAsync(ServiceEndpoints endpoints) =>
        StartAsync("single, PostgreSQL", endpoints, nodes: 1, NewSchema(), shards: 0,
            (schema, _) => ["--Aggregator:Store=postgres", $"--Aggregator:PostgresConnectionString={endpoints.Postgres}", $"--Aggregator:PostgresSchema={schema}"],
            (_, schema) => JournalCounter.Postgres(endpoints.Postgres, schema!));

    /// <summary>
    /// <paramref name="nodes"/> cluster-mode processes sharing <paramref name="shards"/> queues, one schema and one prefix,
    /// fed as <paramref name="feed"/> says ("cluster N=2", or "cluster N=2 direct").
    /// </summary>
    public static Task<Deployment> ClusterAsync(ServiceEndpoints endpoints, int nodes, int shards, int checkpointSeconds, ClusterFeed feed = ClusterFeed.Http) =>
        StartAsync(feed == ClusterFeed.Direct ? $"cluster N={nodes} direct" : $"cluster N={nodes}", endpoints, nodes, NewSchema(), shards,
            (schema, ordinal) =>
            [
                "--Aggregator:Mode=cluster", "--Aggregator:Store=postgres",
                $"--Aggregator:PostgresConnectionString={endpoints.Postgres}", $"--Aggregator:PostgresSchema={schema}",
                $"--Aggregator:Cluster:RabbitMqUri={endpoints.RabbitMq}", $"--Aggregator:Cluster:QueuePrefix=q{schema}",
                $"--Aggregator:Cluster:Shards={shards}", $"--Aggregator:Cluster:Nodes={nodes}", $"--Aggregator:Cluster:Ordinal={ordinal}",
                $"--Aggregator:Cluster:NodeName=node-{ordinal}", $"--Aggregator:Cluster:CheckpointIntervalSeconds={checkpointSeconds}",
            ],
            (_, schema) => JournalCounter.Postgres(endpoints.Postgres, schema!), feed);

    public async ValueTask DisposeAsync()
    {
        await Journal.DisposeAsync().ConfigureAwait(false);
        foreach (var process in Processes) await process.DisposeAsync().ConfigureAwait(false);
        await DropAsync(endpoints, schema, queues).ConfigureAwait(false);
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { }
    }

    private static async Task<Deployment> StartAsync(string label, ServiceEndpoints endpoints, int nodes, string? schema, int shards,
        Func<string?, int, string[]> settings, Func<string, string?, JournalCounter> journal, ClusterFeed feed = ClusterFeed.Http)
    {
        var root = Path.Combine(Path.GetTempPath(), "aggregator-cluster-bench-" + Guid.NewGuid().ToString("N")[..12]);
        (string, int)? queues = shards > 0 ? ("q" + schema, shards) : null;
        var processes = new List<HostProcess>();
        try
        {
            // One at a time: each waits for /readyz, so a node's shards are held before the next starts.
            for (var ordinal = 0; ordinal < nodes; ordinal++)
            {
                processes.Add(await HostProcess.StartAsync($"{label} node-{ordinal}", Path.Combine(root, $"node-{ordinal}"), settings(schema, ordinal)).ConfigureAwait(false));
            }
        }
        catch
        {
            foreach (var process in processes) await process.DisposeAsync().ConfigureAwait(false);
            await DropAsync(endpoints, schema, queues).ConfigureAwait(false);
            throw;
        }
        return new Deployment(label, root, schema, queues, endpoints, processes, journal(root, schema), feed);
    }

    private static string NewSchema() => "bench_" + Guid.NewGuid().ToString("N")[..10];

    private static async Task DropAsync(ServiceEndpoints endpoints, string? schema, (string Prefix, int Shards)? queues)
    {
        if (schema is not null)
        {
            await using var connection = new NpgsqlConnection(endpoints.Postgres);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        if (queues is { } q)
        {
            var factory = new ConnectionFactory { Uri = new Uri(endpoints.RabbitMq) };
            await using var connection = await factory.CreateConnectionAsync().ConfigureAwait(false);
            await using var channel = await connection.CreateChannelAsync().ConfigureAwait(false);
            for (var shard = 0; shard < q.Shards; shard++)
            {
                await channel.QueueDeleteAsync($"{q.Prefix}.{shard}").ConfigureAwait(false);
            }
        }
    }
}

/// <summary>The PostgreSQL and RabbitMQ the run uses, from AGGREGATOR_TEST_POSTGRES and AGGREGATOR_TEST_RABBITMQ.</summary>
internal sealed record ServiceEndpoints(string Postgres, string RabbitMq)
{
    public static ServiceEndpoints? FromEnvironment(out string missing)
    {
        var postgres = Environment.GetEnvironmentVariable("AGGREGATOR_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("AGGREGATOR_TEST_RABBITMQ");
        var absent = new[] { ("AGGREGATOR_TEST_POSTGRES", postgres), ("AGGREGATOR_TEST_RABBITMQ", rabbit) }
            .Where(v => string.IsNullOrWhiteSpace(v.Item2)).Select(v => v.Item1).ToList();
        missing = string.Join(" and ", absent);
        return absent.Count == 0 ? new ServiceEndpoints(postgres!, rabbit!) : null;
    }
}
