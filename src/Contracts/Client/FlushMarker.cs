namespace Aggregator.Contracts.Client;

/// <summary>
/// Put into a sender's buffer by <see cref="AggregatorClient.FlushAsync"/>: everything buffered before it is in a batch
/// that has finished (sent or given up on) when <see cref="Done"/> completes. Riding the same queue as the messages
/// is what makes "before the flush" exact without a lock on the hot path. Never sent.
/// </summary>
internal sealed class FlushMarker : IEntryMessage
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string EntryId => "";

    public Task Done => done.Task;

    public void Complete() => done.TrySetResult();
}
