using Aggregator.Benchmarks.Load;
using Aggregator.Contracts.Client;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// One <see cref="AggregatorClient"/> per process, entry n through client n mod N: every entry's ten messages go to
/// one node in one stream (so one shard, as docs/cluster.md asks of exact producers), and the nodes take equal shares.
/// The workload is the load command's (<see cref="LoadWorkload"/>).
/// </summary>
internal sealed class SpreadTarget : IAsyncDisposable
{
    private readonly AggregatorClient[] clients;
    private readonly int maxBacklog;

    public SpreadTarget(IEnumerable<Uri> addresses, int bufferCapacity)
    {
        clients = addresses.Select(address => new AggregatorClient(new AggregatorClientOptions { BaseAddress = address, BufferCapacity = bufferCapacity })).ToArray();
        var options = new AggregatorClientOptions();
        // As in the load command: a few batches per client keeps every sender's next batch full without a long queue.
        maxBacklog = options.Senders * options.MaxBatchMessages * 2;
        Describe = $"{clients.Length} client(s), {options.Senders} senders each, batches of up to {options.MaxBatchMessages} msgs, linger {options.Linger.TotalMilliseconds} ms";
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
