using Aggregator.Contracts;
using Aggregator.Contracts.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Aggregator.Host.Cluster;

/// <summary>
/// Holds one shard queue with an <b>exclusive</b> consumer, so RabbitMQ itself guarantees that one pod at a time
/// applies the shard, and keeps trying (capped exponential backoff with jitter) while another pod holds it or the
/// broker is away. Deliveries go, in queue order, to an <see cref="IShardDeliveryHandler"/>; nothing is acked until
/// the handler's checkpoint calls <see cref="AckUpToAsync"/>, so a lost channel or a dead pod loses nothing.
/// </summary>
/// <remarks>
/// Delivery tags given to the handler carry the channel's generation in the high 24 bits and the broker's tag in
/// the low 40. They keep growing across re-consumes, and an ack for a delivery of a channel that is gone is
/// recognised and ignored (the broker has requeued it) instead of acking an unrelated delivery of the new channel.
/// </remarks>
public sealed class ShardConsumer : IAsyncDisposable
{
    private const int TagBits = 40;
    private const ulong TagMask = (1UL << TagBits) - 1;

    /// <summary>The ingesting pod enforced its limits already; a pod configured stricter must not drop what another accepted.</summary>
    private static readonly WireLimits Unlimited = new() { MaxNameLength = int.MaxValue, MaxStringLength = int.MaxValue, MaxDimensions = int.MaxValue };

    private readonly ShardConnection _connection;
    private readonly ShardQueues _queues;
    private readonly IShardDeliveryHandler _handler;
    private readonly ushort _prefetch;
    private readonly ShardBackoff _backoff;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _handling = new(1, 1);
    private readonly SemaphoreSlim _acking = new(1, 1);
    private readonly Lock _stateLock = new();
    private TaskCompletionSource _stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ShardConsumerState _state = ShardConsumerState.Waiting;
    private Task? _run;
    private Hold? _hold;
    private uint _generation;
    private ulong _lastHandled;
    private ulong _lastAcked;
    private long _poisonDeliveries;

    public ShardConsumer(ShardConnection connection, ShardQueues queues, int shard, IShardDeliveryHandler handler,
        ushort prefetch, ShardBackoff? backoff = null, ILogger<ShardConsumer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfZero(prefetch);
        _ = queues.Name(shard);
        _connection = connection;
        _queues = queues;
        Shard = shard;
        _handler = handler;
        _prefetch = prefetch;
        _backoff = backoff ?? ShardBackoff.Default;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public int Shard { get; }

    public ShardConsumerState State
    {
        get { lock (_stateLock) return _state; }
    }

    /// <summary>The tag of the last delivery the handler finished; <see cref="AckUpToAsync"/> accepts up to this.</summary>
    public ulong LastHandledTag => Volatile.Read(ref _lastHandled);

    /// <summary>Deliveries with unreadable messages (logged, handed on without them, acked with the next checkpoint).</summary>
    public long PoisonDeliveries => Interlocked.Read(ref _poisonDeliveries);

    /// <summary>Starts trying to hold the shard; returns at once.</summary>
    public void Start()
    {
        if (_run is not null) throw new InvalidOperationException($"Shard {Shard}'s consumer is already started.");
        _run = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Completes when the consumer is in <paramref name="state"/> (observed, not polled).</summary>
    public async Task WaitForAsync(ShardConsumerState state, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_stateLock)
            {
                if (_state == state) return;
                changed = _stateChanged.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Acks every delivery up to and including <paramref name="deliveryTag"/> (<c>basic.ack multiple</c>) once a
    /// checkpoint covers them. Returns false when that delivery's channel is gone: the broker has requeued it, and
    /// the handler has been (or is about to be) told with <see cref="IShardDeliveryHandler.ReleasedAsync"/>.
    /// </summary>
    public async ValueTask<bool> AckUpToAsync(ulong deliveryTag, CancellationToken cancellationToken = default)
    {
        var generation = (uint)(deliveryTag >> TagBits);
        await _acking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var hold = Volatile.Read(ref _hold);
            if (hold is null || hold.Generation != generation) return false;
            if (deliveryTag > Volatile.Read(ref _lastHandled))
            {
                throw new ArgumentOutOfRangeException(nameof(deliveryTag), deliveryTag,
                    $"Shard {Shard}: delivery {deliveryTag & TagMask} has not been handled yet (last handled {LastHandledTag & TagMask}).");
            }
            if (deliveryTag <= _lastAcked) return true;
            try
            {
                await hold.Channel.BasicAckAsync(deliveryTag & TagMask, multiple: true, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException)
            {
                return false;
            }
            _lastAcked = deliveryTag;
            return true;
        }
        finally
        {
            _acking.Release();
        }
    }

    /// <summary>Stops consuming and closes the channel, which lets the exclusive consumer go at once for a successor.</summary>
    public async ValueTask DisposeAsync()
    {
        if (State == ShardConsumerState.Stopped) return;
        if (!_stopping.IsCancellationRequested) await _stopping.CancelAsync().ConfigureAwait(false);
        if (_run is { } run) await run.ConfigureAwait(false);
        SetState(ShardConsumerState.Stopped);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            IConnection? connection = null;
            IChannel? channel = null;
            Hold? hold = null;
            var acquired = false;
            try
            {
                connection = await _connection.OpenAsync(stopping).ConfigureAwait(false);
                channel = await connection.CreateChannelAsync(cancellationToken: stopping).ConfigureAwait(false);
                await _queues.DeclareAsync(channel, Shard, stopping).ConfigureAwait(false);
                await channel.BasicQosAsync(0, _prefetch, global: false, stopping).ConfigureAwait(false);
                hold = new Hold(channel, ++_generation);
                channel.ChannelShutdownAsync += hold.OnShutdownAsync;
                connection.ConnectionShutdownAsync += hold.OnShutdownAsync;
                var consumer = new AsyncEventingBasicConsumer(channel);
                var current = hold;
                consumer.ReceivedAsync += (_, delivery) => DeliverAsync(current, delivery);
                consumer.UnregisteredAsync += (_, _) =>
                {
                    current.Lose("the broker cancelled the consumer (was the queue deleted?)");
                    return Task.CompletedTask;
                };
                await channel.BasicConsumeAsync(_queues.Name(Shard), autoAck: false, consumerTag: string.Empty, noLocal: false,
                    exclusive: true, arguments: null, consumer, stopping).ConfigureAwait(false);

                await _handling.WaitAsync(stopping).ConfigureAwait(false);
                try
                {
                    Volatile.Write(ref _lastHandled, (ulong)hold.Generation << TagBits);
                    Volatile.Write(ref _hold, hold);
                    acquired = true;
                    await _handler.AcquiredAsync(Shard).ConfigureAwait(false);
                }
                finally
                {
                    _handling.Release();
                }
                hold.Ready.TrySetResult();
                SetState(ShardConsumerState.Holding);
                _logger.LogInformation("Holding shard {Shard} ({Queue})", Shard, _queues.Name(Shard));
                var heldSince = TimeProvider.System.GetTimestamp();
                var reason = await hold.Lost.Task.WaitAsync(stopping).ConfigureAwait(false);
                // A hold that ends at once (a handler failing on the same delivery, a flapping link) keeps backing off.
                if (TimeProvider.System.GetElapsedTime(heldSince) >= _backoff.Max) attempt = 0;
                _logger.LogWarning("Lost shard {Shard}: {Reason}; its unacked deliveries go back to the queue", Shard, reason);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode is Constants.AccessRefused or Constants.ResourceLocked)
            {
                if (attempt == 0) _logger.LogInformation("Shard {Shard} is held by another consumer; waiting for it to let go", Shard);
            }
            catch (Exception ex)
            {
                // Once per outage, not once per retry of every shard.
                if (attempt == 0) _logger.LogWarning(ex, "Shard {Shard}: cannot consume {Queue}; retrying with backoff", Shard, _queues.Name(Shard));
                else _logger.LogDebug(ex, "Shard {Shard}: cannot consume {Queue} (attempt {Attempt})", Shard, _queues.Name(Shard), attempt + 1);
            }
            finally
            {
                await LetGoAsync(connection, channel, hold, acquired).ConfigureAwait(false);
            }
            if (stopping.IsCancellationRequested) break;
            SetState(ShardConsumerState.Waiting);
            try
            {
                await Task.Delay(_backoff.Delay(attempt++), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        SetState(ShardConsumerState.Stopped);
    }

    /// <summary>Tells the handler (after any delivery in progress) that the shard is gone, then closes the channel.</summary>
    private async Task LetGoAsync(IConnection? connection, IChannel? channel, Hold? hold, bool acquired)
    {
        if (hold is not null)
        {
            if (acquired && !_stopping.IsCancellationRequested) SetState(ShardConsumerState.Waiting);
            hold.Lose("letting go");
            await _handling.WaitAsync().ConfigureAwait(false);
            try
            {
                Interlocked.CompareExchange(ref _hold, null, hold);
                if (acquired)
                {
                    try
                    {
                        await _handler.ReleasedAsync(Shard).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "Shard {Shard}: the handler failed to release the shard", Shard);
                    }
                }
            }
            finally
            {
                _handling.Release();
            }
            hold.Ready.TrySetResult();
            if (connection is not null) connection.ConnectionShutdownAsync -= hold.OnShutdownAsync;
        }
        if (channel is null) return;
        if (hold is not null) channel.ChannelShutdownAsync -= hold.OnShutdownAsync;
        try
        {
            if (channel.IsOpen) await channel.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Shard {Shard}: closing the channel failed; the broker drops it with the connection", Shard);
        }
        await channel.DisposeAsync().ConfigureAwait(false);
    }

    private async Task DeliverAsync(Hold hold, BasicDeliverEventArgs delivery)
    {
        await hold.Ready.Task.ConfigureAwait(false);
        var messages = Read(delivery);
        await _handling.WaitAsync().ConfigureAwait(false);
        try
        {
            // A delivery of a channel being let go is not handled: the broker gives it back with the rest.
            if (hold.IsLost || !ReferenceEquals(Volatile.Read(ref _hold), hold)) return;
            var tag = ((ulong)hold.Generation << TagBits) | (delivery.DeliveryTag & TagMask);
            try
            {
                await _handler.HandleAsync(Shard, tag, delivery.BasicProperties.MessageId, messages).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Shard {Shard}: the handler failed on delivery {DeliveryTag}; dropping the channel so it comes again", Shard, delivery.DeliveryTag);
                hold.Lose($"the handler failed on delivery {delivery.DeliveryTag}");
                return;
            }
            Volatile.Write(ref _lastHandled, tag);
        }
        finally
        {
            _handling.Release();
        }
    }

    /// <summary>The delivery's messages; unreadable ones are logged and counted, and the rest go on.</summary>
    private IReadOnlyList<IEntryMessage> Read(BasicDeliverEventArgs delivery)
    {
        try
        {
            var batch = WireBatchReader.Read(delivery.Body.Span, WireBodyFormat.NdJson, Unlimited);
            if (batch.Rejected.Count == 0) return batch.Messages;
            Interlocked.Increment(ref _poisonDeliveries);
            _logger.LogError("Shard {Shard} delivery {DeliveryTag}: {Rejected} of {Count} message(s) unreadable and skipped; first: {Error}",
                Shard, delivery.DeliveryTag, batch.Rejected.Count, batch.Count, batch.Rejected[0].Error);
            return batch.Messages;
        }
        catch (WireFormatException ex)
        {
            Interlocked.Increment(ref _poisonDeliveries);
            _logger.LogError(ex, "Shard {Shard} delivery {DeliveryTag} ({Bytes} bytes) is unreadable and skipped", Shard, delivery.DeliveryTag, delivery.Body.Length);
            return [];
        }
    }

    private void SetState(ShardConsumerState state)
    {
        TaskCompletionSource changed;
        lock (_stateLock)
        {
            if (_state == state || _state == ShardConsumerState.Stopped) return;
            _state = state;
            changed = _stateChanged;
            _stateChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>One consume of the queue: its channel, generation, and the signals of its lifetime.</summary>
    private sealed class Hold(IChannel channel, uint generation)
    {
        private volatile bool _lost;

        public IChannel Channel { get; } = channel;

        public uint Generation { get; } = generation;

        /// <summary>Set once the handler knows it holds the shard; deliveries wait for it.</summary>
        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string> Lost { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsLost => _lost;

        public void Lose(string reason)
        {
            _lost = true;
            Lost.TrySetResult(reason);
        }

        public Task OnShutdownAsync(object sender, ShutdownEventArgs args)
        {
            Lose($"{(sender is IConnection ? "connection" : "channel")} closed ({args.ReplyCode} {args.ReplyText})");
            return Task.CompletedTask;
        }
    }
}
