using RabbitMQ.Client;

namespace Aggregator.Transport;

/// <summary>
/// One AMQP connection shared by a pod's shard consumers (or by its publisher), reopened on demand after it is lost.
/// The client's automatic recovery is off on purpose: a recovered exclusive consumer would resume on a new channel
/// without the shard knowing that everything unacked has been requeued, so each user re-consumes itself and learns it.
/// </summary>
public sealed class ShardConnection : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly string _clientName;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _current;
    private bool _disposed;

    /// <param name="uri">The AMQP URI, credentials included.</param>
    /// <param name="clientName">Shown in the broker's connection list (pod and role), so an operator sees who holds a shard.</param>
    /// <param name="timeout">Bounds connecting, the handshake and each protocol operation (declare, consume, close).</param>
    public ShardConnection(Uri uri, string clientName, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _clientName = clientName;
        _factory = new ConnectionFactory
        {
            Uri = uri,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = timeout,
            HandshakeContinuationTimeout = timeout,
            ContinuationTimeout = timeout,
            ClientProvidedName = clientName,
            // One delivery at a time per channel: a shard's messages must reach its entries in queue order.
            ConsumerDispatchConcurrency = 1,
        };
    }

    /// <summary>The open connection, connecting first when there is none or it was lost.</summary>
    public async ValueTask<IConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is { IsOpen: true }) return current;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is { IsOpen: true }) return _current;
            if (_current is { } lost)
            {
                _current = null;
                await CloseQuietlyAsync(lost).ConfigureAwait(false);
            }
            // The client observes cancellation during the handshake only after its own cleanup (seconds against a silent
            // peer), so the caller stops waiting at its deadline and an attempt that still succeeds later is closed.
            var opening = _factory.CreateConnectionAsync(_clientName, cancellationToken);
            IConnection opened;
            try
            {
                opened = await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!opening.IsCompleted)
            {
                _ = CloseLateAsync(opening);
                throw;
            }
            Volatile.Write(ref _current, opened);
            return opened;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            if (_current is { } current)
            {
                _current = null;
                await CloseQuietlyAsync(current).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task CloseLateAsync(Task<IConnection> opening)
    {
        try
        {
            await CloseQuietlyAsync(await opening.ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The attempt its caller gave up on failed as well; nothing to close.
        }
    }

    private static async ValueTask CloseQuietlyAsync(IConnection connection)
    {
        try
        {
            if (connection.IsOpen) await connection.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Closing a connection that is already going away; the broker drops its consumers either way.
        }
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
