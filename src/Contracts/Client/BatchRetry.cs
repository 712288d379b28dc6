using Polly;
using Polly.Retry;

namespace Aggregator.Contracts.Client;

/// <summary>
/// The client's retries, the same for every <see cref="IBatchTransport"/>: a <see cref="BatchResult.Transient"/>
/// attempt is tried again through a Polly pipeline, up to <see cref="AggregatorClientOptions.MaxRetryAttempts"/> with
/// exponential backoff from <see cref="AggregatorClientOptions.RetryDelay"/> and jitter, each delay capped at
/// <see cref="AggregatorClientOptions.MaxRetryDelay"/>; a delay the other side asked for (Retry-After) replaces the
/// backoff, kept between the first delay and the cap (a "0" must not make a tight loop). What is still transient after
/// the last attempt becomes a failed batch.
/// </summary>
internal sealed class BatchRetry
{
    private readonly ResiliencePipeline<BatchOutcome> pipeline;

    public BatchRetry(AggregatorClientOptions options, ClientCounters counters)
    {
        var builder = new ResiliencePipelineBuilder<BatchOutcome>();
        if (options.MaxRetryAttempts > 0)
        {
            var cap = options.MaxRetryDelay;
            var floor = options.RetryDelay;
            builder.AddRetry(new RetryStrategyOptions<BatchOutcome>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                MaxDelay = cap,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result.Result == BatchResult.Transient),
                DelayGenerator = args => ValueTask.FromResult(Bounded(args.Outcome.Result.RetryAfter, floor, cap)),
                OnRetry = _ =>
                {
                    ClientCounters.Count(ref counters.Retries);
                    return ValueTask.CompletedTask;
                },
            });
        }
        pipeline = builder.Build();
    }

    /// <summary>
    /// Sends the batch until it is answered for good. Throws only <see cref="OperationCanceledException"/> for
    /// <paramref name="stopping"/> and whatever the transport throws; never answers <see cref="BatchResult.Transient"/>.
    /// </summary>
    public async Task<BatchOutcome> SendAsync(IBatchTransport transport, int partition, ReadOnlyMemory<byte> body, int messages, CancellationToken stopping)
    {
        var outcome = await pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<BatchOutcome>(state.transport.SendAsync(state.partition, state.body, state.messages, token)),
            (transport, partition, body, messages), stopping).ConfigureAwait(false);
        return outcome.Result == BatchResult.Transient
            ? BatchOutcome.GaveUp(outcome.Failure ?? new BatchFailure(messages, null, "retries exhausted", null))
            : outcome;
    }

    private static TimeSpan? Bounded(TimeSpan? asked, TimeSpan floor, TimeSpan cap) =>
        asked is not { } wait ? null : wait < floor ? floor : wait > cap ? cap : wait;
}
