namespace Aggregator.Contracts.Client;

/// <summary>
/// The in-process entry API's shape over HTTP, for producers in other processes: <see cref="Open"/> returns a handle
/// with the same calls as the service's own <c>EntryHandle</c>, and every call becomes a wire message that is buffered,
/// batched and posted to <c>/v1/messages</c> by background senders. The calling thread never waits on the network and
/// is never thrown at for what happens there: a full buffer drops the message, a batch the service refuses is
/// given up on, and both are counted in <see cref="Statistics"/> (and reported through the options' callbacks).
/// Only programming errors (a null or blank name, a non-positive deadline) throw, as they do in-process.
/// </summary>
/// <remarks>
/// One client per process and service: it owns one <see cref="HttpClient"/> over a pooled <c>SocketsHttpHandler</c>,
/// so requests reuse kept-alive connections. Dispose it (preferably with <see cref="DisposeAsync"/>) to send what is
/// still buffered, bounded by <see cref="AggregatorClientOptions.FlushTimeout"/>. Batches can go elsewhere than HTTP
/// through an <see cref="IBatchTransport"/> (e.g. straight to the cluster's shard queues, Aggregator.Transport).
/// </remarks>
public sealed class AggregatorClient : IAsyncDisposable, IDisposable
{
    private readonly AggregatorClientOptions options;
    private readonly IBatchTransport transport;
    private readonly BatchSender[] senders;
    private readonly ClientCounters counters = new();
    private readonly EntryIds ids = new();
    private readonly CancellationTokenSource stopping = new();
    private int disposed;

    /// <summary>A client of the service at <see cref="AggregatorClientOptions.BaseAddress"/>, over HTTP.</summary>
    public AggregatorClient(AggregatorClientOptions options)
        : this(Validated(options), new BatchDelivery(options))
    {
    }

    /// <summary>
    /// A client whose batches go through <paramref name="transport"/>, which the client owns (disposes): one sender
    /// per <see cref="IBatchTransport.Partitions"/> (<see cref="AggregatorClientOptions.Senders"/> is not used), the
    /// buffer, batching, retries and statistics as over HTTP. <see cref="AggregatorClientOptions.BaseAddress"/>,
    /// <see cref="AggregatorClientOptions.Handler"/> and <see cref="AggregatorClientOptions.RequestTimeout"/> are HTTP's.
    /// </summary>
    public AggregatorClient(AggregatorClientOptions options, IBatchTransport transport)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(transport.Partitions, 1, nameof(transport));
        this.options = options;
        this.transport = transport;
        var retry = new BatchRetry(options, counters);
        var perSender = Math.Max(1, options.BufferCapacity / transport.Partitions);
        senders = new BatchSender[transport.Partitions];
        for (var i = 0; i < senders.Length; i++) senders[i] = new BatchSender(perSender, transport, i, retry, counters, options);
        foreach (var sender in senders) sender.Start(stopping.Token);
    }

    public AggregatorClientOptions Options => options;

    /// <summary>What happened to the messages so far; cheap enough to poll.</summary>
    public AggregatorClientStatistics Statistics => counters.Snapshot(Backlog);

    /// <summary>
    /// Messages taken but not yet answered for (buffered, or in a batch being sent): a producer that would rather slow
    /// down than see drops can watch this against <see cref="AggregatorClientOptions.BufferCapacity"/>.
    /// </summary>
    public long Backlog
    {
        get
        {
            long backlog = 0;
            foreach (var sender in senders) backlog += sender.InBuffer;
            return backlog;
        }
    }

    /// <summary>
    /// Opens an entry: sends an <see cref="Contracts.Open"/> and returns its handle. Deadlines left null use the
    /// service's defaults; <paramref name="entryId"/> defaults to a new id unique to this client.
    /// </summary>
    public RemoteEntryHandle Open(
        string operation,
        IReadOnlyDictionary<string, string>? dimensions = null,
        TimeSpan? forceFlushAfter = null,
        TimeSpan? maxLifetime = null,
        string? entryId = null)
    {
        Contracts.Open.CheckArguments(operation, forceFlushAfter, maxLifetime, entryId);
        var id = entryId ?? ids.Next();
        Tell(new Open(id, operation, dimensions, forceFlushAfter, maxLifetime));
        return new RemoteEntryHandle(this, id, operation);
    }

    /// <summary>
    /// Sends any contract message as it is, e.g. from a producer that keeps its own ids. Returns false when it was
    /// dropped: the buffer was full (counted in DroppedOverflow) or the client is disposed (counted in UseAfterClose).
    /// </summary>
    public bool Tell(IEntryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Volatile.Read(ref disposed) != 0)
        {
            ClientCounters.Count(ref counters.UseAfterClose);
            return false;
        }
        var sender = senders.Length == 1 ? senders[0] : senders[transport.PartitionOf(message.EntryId)];
        if (sender.TryEnqueue(message))
        {
            ClientCounters.Count(ref counters.Enqueued);
            return true;
        }
        ClientCounters.Count(ref counters.DroppedOverflow);
        return false;
    }

    /// <summary>
    /// Sends everything buffered before this call without waiting for the linger, and completes when each of those
    /// batches is answered or given up on. True then; false when <see cref="AggregatorClientOptions.FlushTimeout"/>
    /// (or <paramref name="cancellationToken"/>) ran out first. It never throws for the network's sake.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.FlushTimeout);
        var markers = new FlushMarker[senders.Length];
        try
        {
            for (var i = 0; i < senders.Length; i++)
            {
                markers[i] = new FlushMarker();
                await senders[i].EnqueueAsync(markers[i], timeout.Token).ConfigureAwait(false);
            }
            await Task.WhenAll(markers.Select(m => m.Done)).WaitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // Disposed meanwhile: disposal sends what is buffered; wait for that instead.
            return await Task.WhenAll(senders.Select(s => s.Loop)).WaitAsync(timeout.Token).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops taking messages, sends what is buffered (waiting up to <see cref="AggregatorClientOptions.FlushTimeout"/>;
    /// what is left then is counted as abandoned) and closes the connections.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        foreach (var sender in senders) sender.Complete();
        var loops = Task.WhenAll(senders.Select(s => s.Loop));
        try
        {
            await loops.WaitAsync(options.FlushTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await loops.ConfigureAwait(false);
        }
        foreach (var sender in senders) sender.Dispose();
        await transport.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    /// <summary>Blocks until <see cref="DisposeAsync"/> is done; prefer that where an await is possible.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal void CountUseAfterClose() => ClientCounters.Count(ref counters.UseAfterClose);

    internal void CountUnwritable() => ClientCounters.Count(ref counters.Unwritable);

    private static AggregatorClientOptions Validated(AggregatorClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }
}
