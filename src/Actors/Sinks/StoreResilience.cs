using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// The retry-then-break pipeline every store call of a sink shard goes through (Polly v8): a few retries with
/// exponential backoff and jitter, inside a circuit breaker that stops calling a store that keeps failing, so a dead
/// database costs one trial call per break instead of a storm. Time comes from the actor system's clock.
/// </summary>
internal static class StoreResilience
{
    public static ResiliencePipeline Build(SinkSettings settings, CircuitBreakerStateProvider breaker, TimeProvider clock)
    {
        var handled = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException and not BrokenCircuitException);
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock };
        if (settings.RetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.RetryAttempts,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = handled,
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 2,
            SamplingDuration = TimeSpan.FromSeconds(10),
            BreakDuration = settings.BreakDuration,
            StateProvider = breaker,
            ShouldHandle = handled,
        });
        return builder.Build();
    }
}
