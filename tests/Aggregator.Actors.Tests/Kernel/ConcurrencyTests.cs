using System.Collections.Concurrent;
using Aggregator.Actors.Kernel;
using Aggregator.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace Aggregator.Actors.Tests.Kernel;

/// <summary>Conservation, per-sender order and liveness under many concurrent senders and actors.</summary>
public sealed class ConcurrencyTests : TestKit
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    public ConcurrencyTests() : base(defaultTimeout: TimeSpan.FromSeconds(30)) { }

    private sealed record Numbered(int Sender, int Sequence);
    private sealed record Report(long Received, int OrderViolations);
    private sealed record GetReport;

    /// <summary>Checks that each sender's sequence arrives 0, 1, 2, … with nothing lost or doubled.</summary>
    private sealed class SequenceChecker : ReceiveActor
    {
        private readonly Dictionary<int, int> expected = [];
        private long received;
        private int violations;

        public SequenceChecker()
        {
            Receive<Numbered>(m =>
            {
                received++;
                expected.TryGetValue(m.Sender, out var next);
                if (m.Sequence != next) violations++;
                expected[m.Sender] = m.Sequence + 1;
            });
            Receive<GetReport>(_ => Sender.Tell(new Report(received, violations)));
        }
    }

    [Fact]
    public async Task Many_senders_to_many_actors_conserve_messages_and_per_sender_order()
    {
        const int senders = 8, actors = 64, perPair = 500;
        var checkers = Enumerable.Range(0, actors).Select(_ => Sys.ActorOf(Props.Create<SequenceChecker>())).ToArray();
        // Preallocate so the senders race on Tell, not on allocation.
        var messages = Enumerable.Range(0, senders).Select(s => Enumerable.Range(0, perPair).Select(i => new Numbered(s, i)).ToArray()).ToArray();

        var tasks = Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < perPair; i++)
                foreach (var checker in checkers) checker.Tell(messages[s][i]);
        })).ToArray();
        await Task.WhenAll(tasks).WaitAsync(Budget);

        var reports = await Task.WhenAll(checkers.Select(c => c.Ask<Report>(new GetReport(), Budget)));
        Assert.All(reports, r => Assert.Equal(0, r.OrderViolations));
        Assert.All(reports, r => Assert.Equal(senders * perPair, r.Received));
    }

    /// <summary>Passes a token round a ring; each hop is a Tell from inside an actor.</summary>
    private sealed class RingNode : ReceiveActor
    {
        private IActorRef? next;

        public RingNode(IActorRef done)
        {
            Receive<IActorRef>(n => next = n);
            Receive<int>(hops =>
            {
                if (hops == 0) done.Tell("lap");
                else next!.Tell(hops - 1);
            });
        }
    }

    [Fact]
    public void Tokens_circulating_in_a_ring_all_finish_without_deadlock()
    {
        const int nodes = 100, tokens = 200, hops = 2_000;
        var ring = Enumerable.Range(0, nodes).Select(_ => Sys.ActorOf(Props.Create(() => new RingNode(TestActor)))).ToArray();
        for (var i = 0; i < nodes; i++) ring[i].Tell(ring[(i + 1) % nodes]);
        for (var t = 0; t < tokens; t++) ring[t % nodes].Tell(hops);
        Assert.Equal(tokens, ReceiveN(tokens, Budget).Count);
    }

    [Fact]
    public async Task Messages_racing_a_stop_are_either_processed_or_dead_letters_never_lost()
    {
        const int senders = 4, perSender = 50_000;
        var processed = 0L;
        var deadLetters = new DeadLetterCounter();
        var counterProbe = Sys.ActorOf(Props.Create(() => new CountingDeadLetters(deadLetters)));
        Sys.EventStream.Subscribe(counterProbe, typeof(DeadLetter));
        var victim = Sys.ActorOf(Props.Create(() => new CountingActor(() => Interlocked.Increment(ref processed))));
        AwaitStarted(victim);
        var payload = new object();

        var tasks = Enumerable.Range(0, senders).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++) victim.Tell(payload);
        })).ToArray();
        Sys.Stop(victim);
        await Task.WhenAll(tasks).WaitAsync(Budget);

        AwaitCondition(() => Interlocked.Read(ref processed) + deadLetters.Count == senders * perSender, Budget,
            $"processed + dead letters should equal {senders * perSender}");
    }

    private sealed class DeadLetterCounter
    {
        private long count;
        public long Count => Interlocked.Read(ref count);
        public void Add() => Interlocked.Increment(ref count);
    }

    private sealed class CountingDeadLetters : ReceiveActor
    {
        public CountingDeadLetters(DeadLetterCounter counter) => Receive<DeadLetter>(_ => counter.Add());
    }

    private sealed class CountingActor : ReceiveActor
    {
        public CountingActor(Action onMessage) => ReceiveAny(_ => onMessage());
    }

    [Fact]
    public void Random_send_schedules_conserve_messages_and_keep_per_sender_order()
    {
        // Each case: a list of (sender, actor, burst) sends; senders run concurrently, each in its own order.
        var sendGen =
            from sender in Gen.Choose(0, 3)
            from actor in Gen.Choose(0, 5)
            from burst in Gen.Choose(1, 200)
            select (Sender: sender, Actor: actor, Burst: burst);
        var schedules = Gen.ListOf(sendGen).Select(l => l.ToArray()).ToArbitrary();

        var property = Prop.ForAll(schedules, schedule =>
        {
            var checkers = Enumerable.Range(0, 6).Select(_ => Sys.ActorOf(Props.Create<SequenceChecker>())).ToArray();
            var sequences = new int[4, 6];
            var perSender = schedule.GroupBy(s => s.Sender).Select(group => Task.Run(() =>
            {
                foreach (var (sender, actor, burst) in group)
                    for (var i = 0; i < burst; i++) checkers[actor].Tell(new Numbered(sender, sequences[sender, actor]++));
            })).ToArray();
            Task.WaitAll(perSender, Budget);

            var reports = checkers.Select(c => c.Ask<Report>(new GetReport(), Budget).Result).ToArray();
            foreach (var checker in checkers) Sys.Stop(checker);
            var expected = Enumerable.Range(0, 6).Select(a => (long)schedule.Where(s => s.Actor == a).Sum(s => s.Burst)).ToArray();
            return reports.Select(r => r.Received).SequenceEqual(expected) && reports.All(r => r.OrderViolations == 0);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }
}
