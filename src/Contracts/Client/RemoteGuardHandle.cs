namespace Aggregator.Contracts.Client;

/// <summary>
/// One holding of a flush or force-flush guard on a remote entry. Release it once, by <see cref="Release"/> or
/// <see cref="Dispose"/>; a second release is a counted no-op. Unlike in-process, a producer that dies holding a guard
/// does not release it: the entry's forceFlushAfter or maxLifetime deadline closes the entry instead.
/// </summary>
public sealed class RemoteGuardHandle : IDisposable
{
    private readonly AggregatorClient client;
    private int released;

    internal RemoteGuardHandle(AggregatorClient client, string entryId, string guard, bool alreadyReleased)
    {
        this.client = client;
        EntryId = entryId;
        Guard = guard;
        released = alreadyReleased ? 1 : 0;
    }

    public string EntryId { get; }
    public string Guard { get; }

    public void Release()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) client.Tell(new ReleaseGuard(EntryId, Guard));
        else client.CountUseAfterClose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) client.Tell(new ReleaseGuard(EntryId, Guard));
    }
}
