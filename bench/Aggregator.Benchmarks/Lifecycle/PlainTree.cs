namespace Aggregator.Benchmarks.Lifecycle;

/// <summary>
/// The baseline: the same tree shape built from plain objects, with a lock per parent and an Interlocked counter as the
/// sink, run inline on the producer thread. No queues, no scheduling: what is left is allocating the objects and the
/// synchronisation a tree needs, the floor under which no actor kernel can go.
/// </summary>
internal sealed class PlainParent
{
    private readonly PlainSink sink;
    private int replies;
    private int stopped;

    public PlainParent(PlainSink sink) => this.sink = sink;

    public void Run()
    {
        for (var i = 0; i < LifecycleMessages.ChildrenPerParent; i++)
        {
            var child = new PlainChild(this);
            for (var m = 0; m < LifecycleMessages.MessagesPerChild; m++) child.Receive(LifecycleMessages.Work);
        }
    }

    public void OnReply()
    {
        lock (this) replies++;
    }

    public void OnChildStopped()
    {
        bool done;
        lock (this) done = ++stopped == LifecycleMessages.ChildrenPerParent && replies == LifecycleMessages.ChildrenPerParent;
        if (done) sink.Count();
    }
}

/// <summary>A plain child: replies to its parent after three messages, then reports itself stopped.</summary>
internal sealed class PlainChild(PlainParent parent)
{
    private int received;

    public void Receive(object message)
    {
        if (message is null || ++received < LifecycleMessages.MessagesPerChild) return;
        parent.OnReply();
        parent.OnChildStopped();
    }
}

/// <summary>Counts finished trees.</summary>
internal sealed class PlainSink
{
    private long count;

    public long Completed => Interlocked.Read(ref count);

    public void Count() => Interlocked.Increment(ref count);
}
