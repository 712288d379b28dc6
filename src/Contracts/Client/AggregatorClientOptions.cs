namespace Aggregator.Contracts.Client;

/// <summary>
/// How an <see cref="AggregatorClient"/> batches, buffers and retries. The defaults suit a service on the same network:
/// batches are sent when they reach <see cref="MaxBatchMessages"/> or <see cref="MaxBatchBytes"/>, or
/// <see cref="Linger"/> after their first message, whichever comes first, so a quiet producer still sees its
/// entries within milliseconds and a busy one pays one request per thousands of messages.
/// </summary>
public sealed record AggregatorClientOptions
{
    /// <summary>The service's address, e.g. <c>http://127.0.0.1:5080</c>; messages go to <c>/v1/messages</c> under it.</summary>
    public Uri BaseAddress { get; init; } = new("http://127.0.0.1:5080");

    /// <summary>
    /// Messages the client holds before sending, over all senders. When it is full a new message is dropped and
    /// counted (<see cref="AggregatorClientStatistics.DroppedOverflow"/>) rather than blocking the caller.
    /// </summary>
    public int BufferCapacity { get; init; } = 100_000;

    /// <summary>A batch is sent once it holds this many messages.</summary>
    public int MaxBatchMessages { get; init; } = 2_000;

    /// <summary>A batch is sent once its body reaches this many bytes; keep it well under the service's MaxRequestBytes (8 MiB by default).</summary>
    public int MaxBatchBytes { get; init; } = 512 * 1024;

    /// <summary>How long a batch that is not full waits for more messages after its first one. Zero sends whatever is buffered at once.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Independent sender loops, each with one request in flight. Messages are partitioned by entry id, so one
    /// entry's messages always go through the same sender, in order; more senders overlap more requests.
    /// </summary>
    public int Senders { get; init; } = 2;

    /// <summary>Retries of one batch after a 503 or a connection failure before it is counted as failed.</summary>
    public int MaxRetryAttempts { get; init; } = 8;

    /// <summary>The first retry's delay; later ones double, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The cap on any one retry delay, including a Retry-After the service asks for.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one HTTP request may take before it counts as a connection failure (and is retried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="AggregatorClient.FlushAsync"/> and disposal wait for buffered messages to be sent.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Told about each batch given up on (a 400, a 413, another unexpected status, or retries exhausted), on the
    /// sender's thread. Exceptions it throws are swallowed: a logging callback must not stop delivery.
    /// </summary>
    public Action<BatchFailure>? OnBatchFailed { get; init; }

    /// <summary>Told about each message the service rejected (from a 200 body), on the sender's thread; exceptions are swallowed.</summary>
    public Action<MessageRejection>? OnRejected { get; init; }

    /// <summary>A handler to send through instead of the client's own pooled <c>SocketsHttpHandler</c> (tests, proxies). The client disposes it.</summary>
    public HttpMessageHandler? Handler { get; init; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseAddress);
        if (!BaseAddress.IsAbsoluteUri) throw new ArgumentException("BaseAddress must be absolute.", nameof(BaseAddress));
        ArgumentOutOfRangeException.ThrowIfLessThan(BufferCapacity, 1, nameof(BufferCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchMessages, 1, nameof(MaxBatchMessages));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchBytes, 1024, nameof(MaxBatchBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(Senders, 1, nameof(Senders));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryAttempts, 0, nameof(MaxRetryAttempts));
        if (Linger < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Linger), Linger, "Linger must not be negative.");
        if (RetryDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "RetryDelay must be positive.");
        if (MaxRetryDelay < RetryDelay) throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), MaxRetryDelay, "MaxRetryDelay must be at least RetryDelay.");
        if (RequestTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "RequestTimeout must be positive.");
        if (FlushTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(FlushTimeout), FlushTimeout, "FlushTimeout must be positive.");
    }
}
