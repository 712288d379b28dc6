using Aggregator.Actors.Entries;
using Aggregator.Contracts.Client;

namespace Aggregator.Benchmarks.Load;

/// <summary>Where the load generator sends its entries: the same workload through the client over HTTP, or in-process.</summary>
internal interface ILoadTarget
{
    string Name { get; }

    /// <summary>Writes entry <paramref name="n"/> and closes it (stamping the close in <paramref name="sample"/> when given); false when refused.</summary>
    bool Entry(long n, PersistClock? sample);

    /// <summary>Whether the target's own backlog allows another entry now (the client's buffer; always true in-process).</summary>
    bool HasRoom { get; }

    /// <summary>Messages the service has taken so far.</summary>
    long Accepted { get; }

    /// <summary>What the target lost or retried, for the table.</summary>
    string Losses { get; }
}

/// <summary>Through <see cref="AggregatorClient"/> over HTTP; a message counts once the service answered 202/200 for it.</summary>
internal sealed class ClientTarget(AggregatorClient client, int maxBacklog) : ILoadTarget
{
    public string Name => "http";

    /// <summary>
    /// A few batches' worth: enough to keep every sender's next batch full, without messages waiting in the buffer for
    /// seconds (long-lived records promoted through the GC generations cost more than the HTTP path itself).
    /// </summary>
    public bool HasRoom => client.Backlog < maxBacklog;

    public bool Entry(long n, PersistClock? sample)
    {
        var entry = LoadWorkload.Fill(client, n);
        sample?.Closing(entry.Id);
        entry.Close();
        return true;
    }

    public long Accepted => client.Statistics.Accepted;

    public string Losses
    {
        get
        {
            var s = client.Statistics;
            var batch = s.SentBatches == 0 ? 0 : s.SentMessages / s.SentBatches;
            return $"in buffer {s.InBuffer}, dropped {s.DroppedOverflow}, rejected {s.Rejected}, failed batches {s.FailedBatches}, retries {s.Retries}, {s.SentBatches} requests of {batch} msgs on average";
        }
    }
}

/// <summary>Through the service's own <see cref="EntryRegion"/> (the same actors, sinks and SQLite); a message counts when it is told.</summary>
internal sealed class InProcessTarget(EntryRegion region) : ILoadTarget
{
    private long told;
    private long refused;

    public string Name => "in-process";

    public bool HasRoom => true;

    public bool Entry(long n, PersistClock? sample)
    {
        EntryHandle entry;
        try
        {
            entry = LoadWorkload.Fill(region, n);
        }
        catch (EntryRejectedException)
        {
            Interlocked.Increment(ref refused);
            return false;
        }
        sample?.Closing(entry.Id);
        entry.Close();
        Interlocked.Add(ref told, LoadWorkload.MessagesPerEntry);
        return true;
    }

    public long Accepted => Interlocked.Read(ref told);

    public string Losses => $"refused opens {Interlocked.Read(ref refused)}";
}

/// <summary>
/// For the attribution: the wire records of the same workload told one by one to the entry region's
/// <c>ShardRegion</c>, exactly what the HTTP ingestion does after parsing, without HTTP, JSON or the client.
/// </summary>
internal sealed class RegionTellTarget(EntryRegion region) : ILoadTarget
{
    private readonly string prefix = Guid.NewGuid().ToString("N")[..16];
    private long told;

    public string Name => "region tells";

    public bool HasRoom => true;

    public bool Entry(long n, PersistClock? sample)
    {
        var id = $"{prefix}-{n:x}";
        var target = region.Ref;
        foreach (var message in LoadWorkload.Messages(id, n))
        {
            if (message is Aggregator.Contracts.Close) sample?.Closing(id);
            target.Tell(message, Aggregator.Actors.Kernel.ActorRefs.NoSender);
        }
        Interlocked.Add(ref told, LoadWorkload.MessagesPerEntry);
        return true;
    }

    public long Accepted => Interlocked.Read(ref told);

    public string Losses => "";
}
