using Aggregator.Actors.Kernel;

// Not Aggregator.TestKit.Tests: a namespace named Aggregator.TestKit would hide the TestKit base class.
namespace Aggregator.Testing.Tests;

/// <summary>Replies to every message with the message itself, from itself.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(message => Sender.Tell(message, Self));
}

/// <summary>Swallows every message: an Ask to it can only time out.</summary>
public sealed class BlackHoleActor : ReceiveActor
{
    public BlackHoleActor() => ReceiveAny(_ => { });
}

/// <summary>Counts <see cref="Increment"/> messages into a box the test can read.</summary>
public sealed class CountingActor : ReceiveActor
{
    public sealed record Increment;

    public sealed class Box
    {
        private int value;
        public int Value => Volatile.Read(ref value);
        public void Add() => Interlocked.Increment(ref value);
    }

    public CountingActor(Box box) => Receive<Increment>(_ => box.Add());
}

/// <summary>
/// Sets a receive timeout in its constructor and reports every <see cref="ReceiveTimeout"/> to the report reference.
/// Strings are activity; a <see cref="Fence"/> is echoed without counting as activity, so its echo proves every
/// earlier turn (including the kernel's bookkeeping after it) is over.
/// </summary>
public sealed class IdleActor : ReceiveActor
{
    public sealed record Fence : INotInfluenceReceiveTimeout;

    public IdleActor(IActorRef report, TimeSpan timeout)
    {
        Context.SetReceiveTimeout(timeout);
        Receive<ReceiveTimeout>(timeoutMessage => report.Tell(timeoutMessage, Self));
        Receive<string>(_ => { });
        Receive<Fence>(fence => Sender.Tell(fence, Self));
    }
}

/// <summary>
/// Sends <see cref="Question"/> to the respondent (with itself as sender) and forwards the <see cref="Answer"/>
/// that comes back to the report reference: lets a probe's Reply be observed.
/// </summary>
public sealed class QuestionerActor : ReceiveActor
{
    public sealed record Question(string Text);
    public sealed record Answer(string Text);
    public sealed record Start;

    public QuestionerActor(IActorRef respondent, IActorRef report)
    {
        Receive<Start>(_ => respondent.Tell(new Question("how much?"), Self));
        Receive<Answer>(answer => report.Tell(answer, Self));
    }
}

/// <summary>Tells <paramref name="report"/> when it stops.</summary>
public sealed class StopReportingActor(IActorRef report) : ReceiveActor
{
    public sealed record Stopped(string Name);

    protected override void PostStop() => report.Tell(new Stopped(Self.Path.Name), ActorRefs.NoSender);
}

public sealed record Ping(int N);
public sealed record Pong(int N);
