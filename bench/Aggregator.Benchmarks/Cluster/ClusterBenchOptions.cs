using Aggregator.Benchmarks.CommandLine;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>The cluster command's options; the defaults keep a whole run (baselines and N = 1, 2, 3) near three minutes.</summary>
internal sealed record ClusterBenchOptions
{
    /// <summary>Length of each measured phase (after a warm-up of <see cref="WarmUp"/>).</summary>
    public TimeSpan Phase { get; init; } = TimeSpan.FromSeconds(12);

    /// <remarks>
    /// Each deployment is fresh processes whose JIT starts cold: with 4 s the cluster processes still spent 15 µs/msg
    /// where 8 s gave 7–10 (bench/RESULTS.md, cluster diagnostics), and at 20 s a profile still showed a quarter of
    /// their CPU in the JIT. So this is the least warm-up; <see cref="JitSettling"/> then waits until the JIT is quiet.
    /// </remarks>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The cluster sizes measured, in order.</summary>
    public IReadOnlyList<int> Nodes { get; init; } = [1, 2, 3];

    /// <summary>Shard queues per cluster (divisible by 1, 2 and 3, so every pod holds as many).</summary>
    public int Shards { get; init; } = 6;

    public int Producers { get; init; } = 2;

    /// <summary>
    /// Aggregator:Cluster:CheckpointIntervalSeconds of the cluster processes: the service default, 5 (the cluster tests
    /// use 1 to hand shards over quickly; a production pod runs the default).
    /// </summary>
    public int CheckpointSeconds { get; init; } = 5;

    /// <summary>Entries opened but not yet counted in the journal, over all producers: the rate is one persisted end to end.</summary>
    public int Window { get; init; } = 20_000;

    /// <summary>How the cluster phases are fed, each cluster size measured once per feed, in this order.</summary>
    public IReadOnlyList<ClusterFeed> Feeds { get; init; } = [ClusterFeed.Http];

    /// <summary>Whether to also measure one single-mode process on PostgreSQL (what RabbitMQ adds, apart from the store).</summary>
    public bool PostgresSingle { get; init; } = true;

    public const string Usage =
        "cluster [--seconds N] [--nodes 1,2,3] [--shards S] [--warmup N] [--checkpoint-seconds C] [--producers P] [--window W]\n" +
        "             [--no-pg-single] [--quick] [--direct [both]]\n" +
        "             needs AGGREGATOR_TEST_POSTGRES and AGGREGATOR_TEST_RABBITMQ (bench/cluster.sh starts both): messages/s\n" +
        "             accepted and entries/s journaled by 1, 2, 3 cluster-mode Host processes (RabbitMQ + PostgreSQL), beside\n" +
        "             one single-node Host process on SQLite (the baseline) and on PostgreSQL; --seconds per phase (default 12, after a warm-up of at least 8 s that lasts until the JIT settles);\n" +
        "             --direct: the cluster phases are fed by AggregatorClient publishing straight to the shard queues instead of\n" +
        "             posting to the nodes (\"cluster N=1 direct\"); --direct both: every cluster size over HTTP, then directly";

    public static ClusterBenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ClusterBenchOptions();
        var reader = new OptionReader(args);
        while (reader.MoveNext())
        {
            switch (reader.Name)
            {
                case "--seconds": options = options with { Phase = TimeSpan.FromSeconds(reader.PositiveNumber()) }; break;
                case "--nodes": options = options with { Nodes = ParseNodes(reader.Value()) }; break;
                case "--shards": options = options with { Shards = reader.PositiveInteger() }; break;
                case "--warmup": options = options with { WarmUp = TimeSpan.FromSeconds(reader.PositiveNumber()) }; break;
                case "--checkpoint-seconds": options = options with { CheckpointSeconds = reader.PositiveInteger() }; break;
                case "--producers": options = options with { Producers = reader.PositiveInteger() }; break;
                case "--window": options = options with { Window = reader.PositiveInteger() }; break;
                case "--no-pg-single": options = options with { PostgresSingle = false }; break;
                case "--direct":
                    options = options with { Feeds = reader.OptionalValue("both") is null ? [ClusterFeed.Direct] : [ClusterFeed.Http, ClusterFeed.Direct] };
                    break;
                case "--quick": options = options with { Phase = TimeSpan.FromSeconds(5), WarmUp = TimeSpan.FromSeconds(2) }; break;
                default: throw reader.Unknown();
            }
        }
        if (options.Nodes.Any(n => n > options.Shards)) throw new ArgumentException($"--nodes must not exceed --shards ({options.Shards})");
        return options;
    }

    private static int[] ParseNodes(string value)
    {
        var nodes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw new ArgumentException($"--nodes: '{part}' is not a positive integer"))
            .ToArray();
        return nodes.Length > 0 ? nodes : throw new ArgumentException("--nodes needs at least one size");
    }
}
