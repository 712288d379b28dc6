namespace Aggregator.Contracts.Client;

/// <summary>
/// Put into a sender's buffer by <see cref="AggregatorClient.FlushAsync"/>: everything buffered before it is in a batch
/// that has finished (sent or given up on) when <see cref="Done"/> completes. Riding the same queue as the messages
/// is what makes "before the flush" exact without a lock on the hot path. Never sent, and not a message: the buffer
/// holds objects, so no contract type has to pretend to be one.
/// </summary>
internal sealed class FlushMarker
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Done => done.Task;

    public void Complete() => done.TrySetResult();
}
