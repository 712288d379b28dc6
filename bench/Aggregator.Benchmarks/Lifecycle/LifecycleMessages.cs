namespace Aggregator.Benchmarks.Lifecycle;

/// <summary>
/// The messages of the lifecycle shape, preallocated and shared, so a round allocates only what creating, running and
/// stopping actors costs (plus the kernel's own messages) and nothing of the harness's.
/// </summary>
internal static class LifecycleMessages
{
    /// <summary>Parent to child: one unit of a child's work.</summary>
    public static readonly object Work = new WorkMessage();

    /// <summary>Child to parent: the child has done its three units.</summary>
    public static readonly object Done = new DoneMessage();

    /// <summary>Children per parent, and messages the parent sends each child.</summary>
    public const int ChildrenPerParent = 4;
    public const int MessagesPerChild = 3;

    /// <summary>Actors per tree: the parent and its children.</summary>
    public const int ActorsPerTree = 1 + ChildrenPerParent;

    private sealed class WorkMessage;
    private sealed class DoneMessage;
}

/// <summary>Parent to sink: this tree is finished; names the producer whose in-flight permit it returns.</summary>
internal sealed record TreeCompleted(int Producer)
{
    private static readonly TreeCompleted[] Cached = [.. Enumerable.Range(0, 64).Select(i => new TreeCompleted(i))];

    public static TreeCompleted For(int producer) => producer < Cached.Length ? Cached[producer] : new TreeCompleted(producer);
}
