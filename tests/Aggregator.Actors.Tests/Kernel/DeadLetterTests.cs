using Aggregator.Actors.Kernel;
using Aggregator.Testing;

namespace Aggregator.Actors.Tests.Kernel;

public sealed class DeadLetterTests : TestKit
{
    [Fact]
    public void Messages_to_a_stopped_actor_become_counted_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create<EchoActor>(), "gone");
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        var before = Sys.DeadLetterOffice.Count;

        actor.Tell("late", TestActor);

        var letter = ExpectMsg<DeadLetter>();
        Assert.Equal("late", letter.Message);
        Assert.Equal(actor, letter.Recipient);
        Assert.Equal(DeadLetterReason.RecipientStopped, letter.Reason);
        Assert.Equal(before + 1, Sys.DeadLetterOffice.Count);
        Assert.Contains(Sys.Instrumentation.Snapshot().Types, t => t.ActorType == nameof(EchoActor) && t.DeadLetters == 1);
    }

    [Fact]
    public void Replies_to_no_sender_go_to_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        echo.Tell("to nobody", ActorRefs.NoSender);
        var letter = ExpectMsg<DeadLetter>();
        Assert.Equal("to nobody", letter.Message);
        Assert.Equal(Sys.DeadLetters, letter.Recipient);
    }

    [Fact]
    public void A_full_bounded_mailbox_drops_the_newest_into_counted_dead_letters()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        using var gate = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var actor = Sys.ActorOf(Props.Create(() => new BlockingActor(gate, entered)).WithBoundedMailbox(3));
        try
        {
            actor.Tell("block");
            Assert.True(entered.Wait(TimeSpan.FromSeconds(10)), "the actor never started the blocking message");

            for (var i = 0; i < 5; i++) actor.Tell(i);

            var dropped = ReceiveN(2).Cast<DeadLetter>().ToArray();
            Assert.Equal([3, 4], dropped.Select(d => d.Message));
            Assert.All(dropped, d => Assert.Equal(DeadLetterReason.MailboxFull, d.Reason));
            Assert.Equal(2, Sys.Instrumentation.Snapshot(actor)!.MailboxOverflow);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public void Unhandled_messages_are_counted_and_published()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create<StringsOnly>());
        actor.Tell(42, TestActor);
        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal(42, unhandled.Message);
        Assert.Equal(TestActor, unhandled.Sender);
        Assert.Equal(1, Sys.UnhandledCount);
        Assert.Equal(1, Sys.Instrumentation.Snapshot(actor)!.Unhandled);
    }

    private sealed class BlockingActor : ReceiveActor
    {
        public BlockingActor(ManualResetEventSlim gate, ManualResetEventSlim entered) => ReceiveAny(_ =>
        {
            entered.Set();
            gate.Wait(TimeSpan.FromSeconds(10));
        });
    }

    private sealed class StringsOnly : ReceiveActor
    {
        public StringsOnly() => Receive<string>(_ => { });
    }
}
