namespace Aggregator.Actors.Kernel.Dispatch;

/// <summary>A reference to an actor in this process: Tell goes straight into its mailbox.</summary>
internal sealed class LocalActorRef : InternalActorRef
{
    private readonly InternalActorRef? parent;
    private readonly string? name;
    private readonly long number;

    public LocalActorRef(ActorPath path) : base(path) { }

    /// <summary>A child's ref: its path is built on first use, and a generated name (<paramref name="name"/> null) from <paramref name="number"/>.</summary>
    public LocalActorRef(InternalActorRef parent, string? name, long number)
    {
        this.parent = parent;
        this.name = name;
        this.number = number;
    }

    protected override ActorPath BuildPath() => parent!.Path.Child(name ?? GeneratedName(number));

    /// <summary>Generated child names: a per-parent counter from 1 in base 36 with letters first (<c>$b</c>, <c>$c</c>, …).</summary>
    public static string GeneratedName(long number)
    {
        const string digits = "abcdefghijklmnopqrstuvwxyz0123456789";
        Span<char> buffer = stackalloc char[16];
        var position = buffer.Length;
        do
        {
            buffer[--position] = digits[(int)(number % 36)];
            number /= 36;
        } while (number > 0);
        buffer[--position] = '$';
        return new string(buffer[position..]);
    }

    /// <summary>Set once, right after construction (the cell needs its own ref to exist first).</summary>
    public ActorCell Cell { get; internal set; } = null!;

    public override void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Mailbox.Post(message, sender);
    }

    public override void SendSystemMessage(SystemMessage message) => Cell.Mailbox.PostSystem(message);
    public override bool IsTerminated => Cell.Mailbox.IsClosed;
}
