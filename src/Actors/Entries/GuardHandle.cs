using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// One holding of a flush or force-flush guard (metrique's <c>FlushGuard</c> / <c>ForceFlushGuard</c>). Release it
/// once, by <see cref="Release"/> or <see cref="Dispose"/>; a second release is a counted no-op. Acquired inside an
/// actor, the guard is also released when that actor stops.
/// </summary>
public sealed class GuardHandle : IDisposable
{
    private readonly ICanTell region;
    private readonly OperationStats stats;
    private int released;

    internal GuardHandle(ICanTell region, string entryId, string guard, OperationStats stats, bool alreadyReleased)
    {
        this.region = region;
        EntryId = entryId;
        Guard = guard;
        this.stats = stats;
        released = alreadyReleased ? 1 : 0;
    }

    public string EntryId { get; }
    public string Guard { get; }

    public void Release()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) region.Tell(new ReleaseGuard(EntryId, Guard));
        else OperationStats.Count(ref stats.useAfterClose);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) region.Tell(new ReleaseGuard(EntryId, Guard));
    }
}
