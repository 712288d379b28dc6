using System.Buffers;
using System.Text.Json;
using Aggregator.Contracts;
using Aggregator.Contracts.Wire;
using RabbitMQ.Client;

namespace Aggregator.Transport;

/// <summary>
/// Publishes a request's messages to the shard queues and returns only once the broker has confirmed every one
/// (publisher confirms), so a 2xx answer means the messages are on disk in RabbitMQ, and a failure is a
/// <see cref="ShardPublishException"/> the HTTP layer turns into 503. A producer that groups its messages by shard itself
/// (the client's <see cref="ShardQueueTransport"/>) publishes its ready-made bodies through the same channel, confirms
/// and message ids with <see cref="PublishAsync(int, ReadOnlyMemory{byte}, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// <para>A request becomes <b>one persistent message per shard it touches</b> (an NDJSON body of that shard's messages in
/// request order), so per-entry order survives (an entry lives in one shard, a queue is FIFO) and a request usually
/// touches few queues. The shard messages of one request are published concurrently on one confirm channel.</para>
/// <para><b>Partial publishes.</b> Shards are separate queues and AMQP has no transaction across them, so shard A may be
/// confirmed while shard B fails. The producer then sees 503 (the exception lists both sets) and has no way to
/// resend only B. Retrying the whole request is what it will do, and that is safe only for messages whose effect does
/// not depend on how often they arrive: Open of an entry that is still open, and Set (last write wins, though a
/// retry re-asserts the request's value over any later Set in between). It is <b>not</b> safe for Add and Observe:
/// shard A's messages are applied twice, so a retried request after a partial publish can double-count counters and
/// distributions; and a replayed Open…Close of an entry that closed in between is refused only if the entry's
/// tombstone is still kept. Nothing here deduplicates; that is the honest at-least-once contract of this path. It is
/// narrow: a request fails partially only when the broker fails mid-request, and one message per shard keeps the
/// number of shards a request touches small.</para>
/// </remarks>
public sealed class ShardPublisher : IAsyncDisposable
{
    private const string ContentType = "application/x-ndjson";

    private readonly ShardQueues _queues;
    private readonly ShardConnection _connection;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    /// <summary>
    /// A publisher of its own connection; <paramref name="timeout"/> bounds a whole publish, connecting included, and
    /// <paramref name="clientName"/> (the machine name and "publisher" by default) is shown in the broker's connection list.
    /// </summary>
    public ShardPublisher(ShardQueues queues, Uri uri, TimeSpan timeout, string? clientName = null)
    {
        ArgumentNullException.ThrowIfNull(queues);
        _queues = queues;
        _timeout = timeout;
        _connection = new ShardConnection(uri, clientName ?? $"{Environment.MachineName} publisher", timeout);
    }

    /// <summary>
    /// Publishes <paramref name="messages"/> grouped by shard, order kept within each shard, and waits for every
    /// confirm. Throws <see cref="ShardPublishException"/> when any shard is not confirmed within the timeout.
    /// </summary>
    public Task PublishAsync(IReadOnlyList<IEntryMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Count == 0 ? Task.CompletedTask : PublishAsync(ShardBodies.Write(_queues, messages), cancellationToken);
    }

    /// <summary>
    /// Publishes one request's shard bodies (see <see cref="ShardBodies"/>) concurrently on the confirm channel and
    /// waits for every confirm. Throws <see cref="ShardPublishException"/>, naming the shards confirmed and not, when
    /// any shard is not confirmed within the timeout.
    /// </summary>
    public async Task PublishAsync(IReadOnlyDictionary<int, ReadOnlyMemory<byte>> bodies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        if (bodies.Count == 0) return;
        foreach (var shard in bodies.Keys) _ = _queues.Name(shard);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var shards = bodies.Keys.ToArray();
        var channel = await ReachableChannelAsync(shards, timeout.Token, cancellationToken).ConfigureAwait(false);

        var publishes = new Task[shards.Length];
        for (var i = 0; i < shards.Length; i++) publishes[i] = PublishOneAsync(channel, shards[i], bodies[shards[i]], timeout.Token);
        try
        {
            await Task.WhenAll(publishes).ConfigureAwait(false);
            return;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Every outcome is read below; the first exception alone would hide which shards made it.
        }

        var published = new List<int>();
        var failed = new List<int>();
        Exception? first = null;
        for (var i = 0; i < shards.Length; i++)
        {
            if (publishes[i].IsCompletedSuccessfully) published.Add(shards[i]);
            else
            {
                failed.Add(shards[i]);
                first ??= publishes[i].Exception?.InnerException ?? new OperationCanceledException();
            }
        }
        if (!channel.IsOpen) await DropChannelAsync(channel).ConfigureAwait(false);
        var partial = published.Count > 0
            ? $" Shards {string.Join(", ", published)} were confirmed and will be applied; retrying the whole request applies their messages again."
            : " Nothing was published.";
        throw new ShardPublishException(
            $"RabbitMQ did not confirm shard(s) {string.Join(", ", failed)}: {Describe(first!)}.{partial}", published, failed, first);
    }

    /// <summary>
    /// Publishes <paramref name="ndjson"/> (wire messages, one per line, every one for an entry of
    /// <paramref name="shard"/>) as one persistent message to that shard's queue, and waits for its confirm. The body is
    /// neither read nor checked here: the pod that consumes the shard refuses what it cannot read. Throws
    /// <see cref="ShardPublishException"/> when the broker did not confirm within the timeout (usually not enqueued,
    /// but a lost confirm may hide one that was, so publishing it again is at least once).
    /// </summary>
    public async Task PublishAsync(int shard, ReadOnlyMemory<byte> ndjson, CancellationToken cancellationToken = default)
    {
        _ = _queues.Name(shard);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var channel = await ReachableChannelAsync([shard], timeout.Token, cancellationToken).ConfigureAwait(false);
        try
        {
            await PublishOneAsync(channel, shard, ndjson, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (!channel.IsOpen) await DropChannelAsync(channel).ConfigureAwait(false);
            throw new ShardPublishException($"RabbitMQ did not confirm shard {shard}: {Describe(ex)}.", [], [shard], ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_channel is { } channel)
            {
                _channel = null;
                await CloseQuietlyAsync(channel).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task PublishOneAsync(IChannel channel, int shard, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // A unique id per published message: a checkpoint records the ids it covers, so a new holder skips a
        // redelivered message the checkpoint already contains (saved, then the pod died before its ack).
        var properties = new BasicProperties { ContentType = ContentType, DeliveryMode = DeliveryModes.Persistent, MessageId = Guid.NewGuid().ToString("N") };
        // mandatory: a queue that does not exist returns the message (a PublishException) instead of dropping it silently.
        // With confirmation tracking on, this completes only when the broker has confirmed (or nacked) the message.
        await channel.BasicPublishAsync(string.Empty, _queues.Name(shard), mandatory: true, properties, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The confirm channel, or a <see cref="ShardPublishException"/> saying that none of <paramref name="shards"/> was published.</summary>
    private async Task<IChannel> ReachableChannelAsync(IReadOnlyList<int> shards, CancellationToken timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await ChannelAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? "no connection within the publish timeout" : Describe(ex);
            throw new ShardPublishException(
                $"RabbitMQ is unreachable: {reason}; none of the {shards.Count} shard message(s) was published.",
                [], [.. shards], ex);
        }
    }

    /// <summary>The confirm channel, opened (and every shard queue declared) on first use and after it was lost.</summary>
    private async ValueTask<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _channel);
        if (current is { IsOpen: true }) return current;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is { IsOpen: true }) return _channel;
            if (_channel is { } lost)
            {
                _channel = null;
                await CloseQuietlyAsync(lost).ConfigureAwait(false);
            }
            var connection = await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
            var channel = await connection.CreateChannelAsync(options, cancellationToken).ConfigureAwait(false);
            try
            {
                await _queues.DeclareAllAsync(channel, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await CloseQuietlyAsync(channel).ConfigureAwait(false);
                throw;
            }
            Volatile.Write(ref _channel, channel);
            return channel;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask DropChannelAsync(IChannel channel)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(_channel, channel)) return;
            _channel = null;
        }
        finally
        {
            _gate.Release();
        }
        await CloseQuietlyAsync(channel).ConfigureAwait(false);
    }

    private static async ValueTask CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen) await channel.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The channel is being replaced because it failed; closing it again may fail too.
        }
        await channel.DisposeAsync().ConfigureAwait(false);
    }

    private static string Describe(Exception exception) => exception switch
    {
        OperationCanceledException => "no confirm within the publish timeout",
        RabbitMQ.Client.Exceptions.PublishException { IsReturn: true } => "the shard queue does not exist (message returned)",
        RabbitMQ.Client.Exceptions.PublishException => "the broker nacked the message",
        _ => exception.GetBaseException().Message,
    };
}
