using System.Threading.Channels;

namespace Aggregator.Contracts.Client;

/// <summary>
/// One partition of the client: a bounded buffer the callers write to without waiting, and one loop that drains it
/// into batches and sends them one at a time through the client's <see cref="IBatchTransport"/>. One batch in flight
/// per sender is what keeps an entry's messages in order (a later batch never overtakes an earlier one); the
/// transport's partitions (<see cref="AggregatorClientOptions.Senders"/> over HTTP, the shards for the shard queues)
/// split by entry id to overlap batches without giving that up.
/// </summary>
internal sealed class BatchSender : IDisposable
{
    private readonly Channel<object> channel; // IEntryMessage, or a FlushMarker
    private readonly BatchBody body;
    private readonly BatchRetry retry;
    private readonly IBatchTransport transport;
    private readonly int partition;
    private readonly ClientCounters counters;
    private readonly AggregatorClientOptions options;
    private readonly List<FlushMarker> markers = [];
    private Task<bool>? pendingWait;
    private int inFlight;

    public BatchSender(int capacity, IBatchTransport transport, int partition, BatchRetry retry, ClientCounters counters, AggregatorClientOptions options)
    {
        channel = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then answers false at once, and only a flush marker ever waits
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        body = new BatchBody(options.MaxBatchMessages, options.MaxBatchBytes);
        this.transport = transport;
        this.partition = partition;
        this.retry = retry;
        this.counters = counters;
        this.options = options;
    }

    /// <summary>Buffered plus in the batch being sent.</summary>
    public long InBuffer => channel.Reader.Count + Volatile.Read(ref inFlight);

    public Task Loop { get; private set; } = Task.CompletedTask;

    public void Start(CancellationToken stopping) => Loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);

    /// <summary>Never waits: false when the buffer is full or the client is closing.</summary>
    public bool TryEnqueue(IEntryMessage message) => channel.Writer.TryWrite(message);

    /// <summary>Waits for room, unlike messages: a flush is asynchronous, and must not be dropped.</summary>
    public ValueTask EnqueueAsync(FlushMarker marker, CancellationToken cancellationToken) => channel.Writer.WriteAsync(marker, cancellationToken);

    /// <summary>No more messages: the loop sends what is buffered and ends.</summary>
    public void Complete() => channel.Writer.TryComplete();

    public void Dispose() => body.Dispose();

    private async Task RunAsync(CancellationToken stopping)
    {
        var reader = channel.Reader;
        try
        {
            while (await WaitAsync(Timeout.InfiniteTimeSpan, stopping).ConfigureAwait(false))
            {
                await FillAsync(reader, stopping).ConfigureAwait(false);
                if (body.Count > 0) await SendAsync(stopping).ConfigureAwait(false);
                foreach (var marker in markers) marker.Complete();
                markers.Clear();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Abandon();
        }
    }

    /// <summary>Takes messages into the batch until it is full, a flush asks for it, or the linger since its first message has passed.</summary>
    private async Task FillAsync(ChannelReader<object> reader, CancellationToken stopping)
    {
        var lingerUntil = DateTime.UtcNow + options.Linger;
        while (true)
        {
            while (!body.IsFull && reader.TryRead(out var item))
            {
                if (item is FlushMarker marker)
                {
                    markers.Add(marker);
                    return;
                }
                Volatile.Write(ref inFlight, inFlight + 1);
                if (!body.TryAppend((IEntryMessage)item))
                {
                    Volatile.Write(ref inFlight, inFlight - 1);
                    ClientCounters.Count(ref counters.Unwritable);
                }
            }
            if (body.IsFull || options.Linger == TimeSpan.Zero) return;
            var remaining = lingerUntil - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || !await WaitAsync(remaining, stopping).ConfigureAwait(false)) return;
        }
    }

    /// <summary>
    /// Waits until there is something to read (true), the buffer is completed and empty (false), or
    /// <paramref name="within"/> passes (false). The channel's wait is kept across a timeout rather than abandoned,
    /// so at most one is outstanding.
    /// </summary>
    private async Task<bool> WaitAsync(TimeSpan within, CancellationToken stopping)
    {
        pendingWait ??= channel.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
        if (!pendingWait.IsCompleted)
        {
            if (within == Timeout.InfiniteTimeSpan) await pendingWait.WaitAsync(stopping).ConfigureAwait(false);
            else
            {
                try
                {
                    await pendingWait.WaitAsync(within, stopping).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    return false;
                }
            }
        }
        var ready = await pendingWait.ConfigureAwait(false);
        pendingWait = null;
        return ready;
    }

    private async Task SendAsync(CancellationToken stopping)
    {
        var count = body.Count;
        BatchOutcome outcome;
        try
        {
            outcome = await retry.SendAsync(transport, partition, body.Bytes, count, stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Whatever else the transport throws (a misconfigured HTTP handler, say) costs this batch, never the loop:
            // a dead loop would silently stop every later message of its partition.
            outcome = BatchOutcome.GaveUp(new BatchFailure(count, null, "the request could not be made: " + exception.Message, exception));
        }
        switch (outcome.Result)
        {
            case BatchResult.Accepted:
                ClientCounters.Count(ref counters.SentBatches);
                ClientCounters.Count(ref counters.SentMessages, count);
                ClientCounters.Count(ref counters.Accepted, count);
                break;
            case BatchResult.PartlyRejected:
                ClientCounters.Count(ref counters.SentBatches);
                ClientCounters.Count(ref counters.SentMessages, count);
                var rejected = Math.Max(outcome.Rejections.Count, count - outcome.Accepted);
                ClientCounters.Count(ref counters.Rejected, rejected);
                ClientCounters.Count(ref counters.Accepted, count - rejected);
                foreach (var (index, error) in outcome.Rejections)
                {
                    if (index >= 0 && index < count) Report(options.OnRejected, new MessageRejection(body.Messages[index], error));
                }
                break;
            default:
                ClientCounters.Count(ref counters.FailedBatches);
                ClientCounters.Count(ref counters.FailedMessages, count);
                break;
        }
        if (outcome.Failure is { } failure) Report(options.OnBatchFailed, failure);
        body.Clear();
        Volatile.Write(ref inFlight, 0);
    }

    /// <summary>Disposal stopped waiting: what is still here is counted as abandoned, and flushes waiting on it are let go.</summary>
    private void Abandon()
    {
        var left = body.Count;
        body.Clear();
        while (channel.Reader.TryRead(out var message))
        {
            if (message is FlushMarker marker) markers.Add(marker);
            else left++;
        }
        ClientCounters.Count(ref counters.Abandoned, left);
        Volatile.Write(ref inFlight, 0);
        foreach (var marker in markers) marker.Complete();
        markers.Clear();
    }

    private static void Report<T>(Action<T>? callback, T what)
    {
        if (callback is null) return;
        try
        {
            callback(what);
        }
        catch (Exception)
        {
            // A failing log callback must not stop delivery; there is nowhere better to report it.
        }
    }
}
