using Aggregator.Benchmarks.Load;
using Aggregator.Contracts.Client;
using Aggregator.Transport;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// The producers' clients for one phase; the workload is the load command's (<see cref="LoadWorkload"/>). Over HTTP:
/// one <see cref="AggregatorClient"/> per process, entry n through client n mod N, so every entry's ten messages go to
/// one node in one stream (so one shard, as docs/cluster.md asks of exact producers) and the nodes take equal shares.
/// Direct: one client publishing straight to the shard queues (<see cref="ShardQueueClient"/>), a sender per shard.
/// </summary>
internal sealed class SpreadTarget : IAsyncDisposable
{
    private readonly AggregatorClient[] clients;
    private readonly int maxBacklog;

    private SpreadTarget(AggregatorClient[] clients, int partitions, string describe)
    {
        this.clients = clients;
        var options = clients[0].Options;
        // As in the load command: a few batches per partition keeps every sender's next batch full without a long queue.
        maxBacklog = partitions * options.MaxBatchMessages * 2;
        Describe = $"{describe}, batches of up to {options.MaxBatchMessages} msgs, linger {options.Linger.TotalMilliseconds} ms";
    }

    public static SpreadTarget Http(IEnumerable<Uri> addresses, int bufferCapacity)
    {
        var clients = addresses.Select(address => new AggregatorClient(new AggregatorClientOptions { BaseAddress = address, BufferCapacity = bufferCapacity })).ToArray();
        var senders = clients[0].Options.Senders;
        return new SpreadTarget(clients, senders, $"HTTP: {clients.Length} client(s) posting to /v1/messages of the nodes, {senders} senders each");
    }

    public static SpreadTarget Direct(Uri rabbitMq, string prefix, int shards, int bufferCapacity)
    {
        var client = ShardQueueClient.Create(new AggregatorClientOptions { BufferCapacity = bufferCapacity },
            new ShardQueueOptions { RabbitMqUri = rabbitMq, QueuePrefix = prefix, Shards = shards });
        return new SpreadTarget([client], shards, $"direct: 1 client publishing straight to the {shards} shard queues, a sender per shard");
    }

    public string Describe { get; }

    public bool HasRoom => clients.All(c => c.Backlog < maxBacklog);

    public void Entry(long n) => LoadWorkload.Fill(clients[n % clients.Length], n).Close();

    public long Accepted => clients.Sum(c => c.Statistics.Accepted);

    public string Losses
    {
        get
        {
            var s = clients.Select(c => c.Statistics).ToList();
            return $"in buffer {s.Sum(x => x.InBuffer)}, dropped {s.Sum(x => x.DroppedOverflow)}, rejected {s.Sum(x => x.Rejected)}, failed batches {s.Sum(x => x.FailedBatches)}, retries {s.Sum(x => x.Retries)}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients) await client.DisposeAsync().ConfigureAwait(false);
    }
}
