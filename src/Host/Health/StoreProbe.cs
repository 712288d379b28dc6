using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Health;

/// <summary>
/// Whether the store answers right now, for readiness: a lookup of an id that never exists, bounded in time and
/// cached briefly so frequent probes do not load the database. A failure says why, for the probe's body and the log.
/// </summary>
internal sealed class StoreProbe(EntryPipeline pipeline, ILogger<StoreProbe> logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim gate = new(1, 1);
    private (DateTime At, string? Failure) last = (DateTime.MinValue, null);

    /// <summary>Null when the store answered; otherwise what went wrong.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow - last.At < CacheFor) return last.Failure;
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (DateTime.UtcNow - last.At < CacheFor) return last.Failure;
            string? failure = null;
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(Timeout);
                await pipeline.Store.GetEntryAsync("~readyz-probe", bounded.Token).WaitAsync(bounded.Token);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                failure = exception is OperationCanceledException
                    ? $"the {pipeline.Store.Name} store did not answer within {Timeout.TotalSeconds:0} s"
                    : $"the {pipeline.Store.Name} store failed: {exception.Message}";
                logger.LogWarning("Readiness: {Failure}", failure);
            }
            last = (DateTime.UtcNow, failure);
            return failure;
        }
        finally
        {
            gate.Release();
        }
    }
}
