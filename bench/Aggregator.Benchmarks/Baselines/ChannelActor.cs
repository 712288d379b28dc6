using System.Threading.Channels;

namespace Aggregator.Benchmarks.Baselines;

/// <summary>
/// The baseline an actor has to beat: an unbounded single-reader <see cref="Channel{T}"/> drained by one async loop
/// (<c>while (await WaitToReadAsync()) while (TryRead(out m)) …</c>), carrying the same envelope an actor mailbox
/// carries (message + sender). No supervision, no instrumentation, no fairness batch: the raw cost of a hand-off.
/// </summary>
internal abstract class ChannelActor
{
    private readonly Channel<ChannelEnvelope> channel = Channel.CreateUnbounded<ChannelEnvelope>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    private Task loop = Task.CompletedTask;
    private long processed;

    /// <summary>Who sent the message being handled (null for a producer outside any channel actor).</summary>
    protected ChannelActor? Sender { get; private set; }

    /// <summary>Messages handled so far (read from other threads for progress reports); one store per message, as the kernel's own counter.</summary>
    public long Processed => Volatile.Read(ref processed);

    /// <summary>Starts the reader loop on the thread pool; call once, after construction.</summary>
    public void Start() => loop = Task.Run(ReadLoopAsync);

    /// <summary>Enqueues without waiting, as Tell does.</summary>
    public void Tell(object message, ChannelActor? sender)
    {
        if (!channel.Writer.TryWrite(new ChannelEnvelope(message, sender)))
            throw new InvalidOperationException("Channel actor is stopped.");
    }

    /// <summary>Completes the channel; the loop drains what is queued and ends.</summary>
    public Task StopAsync()
    {
        channel.Writer.TryComplete();
        return loop;
    }

    /// <summary>Handles one message on the reader loop (one at a time, like an actor's receive).</summary>
    protected abstract void Receive(object message);

    private async Task ReadLoopAsync()
    {
        var reader = channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var envelope))
            {
                Sender = envelope.Sender;
                Receive(envelope.Message);
                Volatile.Write(ref processed, processed + 1);
            }
        }
    }

    private readonly record struct ChannelEnvelope(object Message, ChannelActor? Sender);
}
