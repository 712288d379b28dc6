using Aggregator.Actors.Kernel;
using Aggregator.Actors.Kernel.Scheduling;
using Aggregator.Actors.Persistence;
using Aggregator.Contracts;
using Polly;
using Serilog;

namespace Aggregator.Actors.Sinks;

/// <summary>
/// One sink shard: a persistent actor (persistence id <c>sink-&lt;shard&gt;</c>) that journals the closed entries routed
/// to it in batches (idempotent by entry id), folds the newly journaled ones into partial aggregates, and periodically
/// upsert-merges those with the sequence number they cover (the snapshot). Recovery = snapshot + replay of later
/// journal rows, so a crash at any point neither loses nor double counts. Store calls run off the actor's turn; their
/// completions come back as messages, so the shard never blocks and keeps receiving (into a bounded buffer) while a
/// store is slow or down. The buffer drains in order when the store returns.
/// </summary>
internal sealed class SinkShard : ActorBase
{
    private readonly int shard;
    private readonly ISinkStore store;
    private readonly SinkSettings settings;
    private readonly SinkShardStats stats;
    private readonly Action<IReadOnlyList<ClosedEntry>>? onJournaled;
    private readonly ResiliencePipeline pipeline;
    private readonly Queue<ClosedEntry> buffer = new();
    private readonly CancellationTokenSource stopping = new();
    private long writeStarted;
    private long accepted, settled, droppedHere;
    private readonly List<(IActorRef Requester, long Target, long DroppedBefore)> barriers = [];
    private ShardAggregates partials;
    private ShardAggregates? flushing;
    private long sequenceNr;
    private long snapshotSequenceNr;
    private bool recovering, recovered, writing, draining;
    /// <summary>A write failed: it may still have committed (the reply lost), so the journal is checked before the next.</summary>
    private bool unsure;
    /// <summary>Ids found journaled by that check (and folded then): when the retry reports them as duplicates they are the shard's own.</summary>
    private readonly HashSet<string> landed = new(StringComparer.Ordinal);
    private IActorRef? drainRequester;
    private ICancelable? tick, flushTick;
    private DateTime lastFailureLog = DateTime.MinValue;

    public SinkShard(int shard, ISinkStore store, SinkSettings settings, SinkShardStats stats, Action<IReadOnlyList<ClosedEntry>>? onJournaled, TimeProvider clock)
    {
        this.shard = shard;
        this.store = store;
        this.settings = settings;
        this.stats = stats;
        this.onJournaled = onJournaled;
        pipeline = StoreResilience.Build(settings, stats.Breaker, clock);
        partials = new ShardAggregates(settings.Window);
    }

    private string PersistenceId => stats.PersistenceId;
    private ILogger Log => Context.System.Log;

    protected override void PreStart()
    {
        var scheduler = Context.System.Scheduler;
        tick = scheduler.ScheduleTellRepeatedly(settings.BatchInterval, settings.BatchInterval, Self, SinkTick.Instance, Self);
        flushTick = scheduler.ScheduleTellRepeatedly(settings.AggregateFlushInterval, settings.AggregateFlushInterval, Self, FlushAggregatesTick.Instance, Self);
        Recover();
    }

    protected override void PostStop()
    {
        tick?.Cancel();
        flushTick?.Cancel();
        stopping.Cancel();
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case ClosedEntry entry: Accept(entry); break;
            case SinkTick:
                if (!recovered) Recover();
                else WriteIfDue(force: true);
                break;
            case FlushAggregatesTick: Flush(); break;
            case SinkRecovered done: OnRecovered(done); break;
            case SinkRecoveryFailed failed:
                recovering = false;
                LogFailure(failed.Cause, "recovery");
                break;
            case JournalWritten written: OnWritten(written); break;
            case JournalCaughtUp caughtUp: OnCaughtUp(caughtUp); break;
            case JournalWriteFailed failed:
                writing = false;
                unsure = true;
                Interlocked.Increment(ref stats.writeFailures);
                LogFailure(failed.Cause, "journal write");
                break;
            case AggregatesFlushed flushed: OnFlushed(flushed); break;
            case GetPendingAggregates query: Sender.Tell(Pending(query), Self); break;
            case JournalBarrier:
                barriers.Add((Sender, accepted, droppedHere));
                WriteIfDue(force: true);
                PassBarriers();
                break;
            case DrainSink:
                draining = true;
                drainRequester = Sender;
                WriteIfDue(force: true);
                Flush();
                ReplyIfDrained();
                break;
            default: return false;
        }
        return true;
    }

    private void Accept(ClosedEntry entry)
    {
        Interlocked.Increment(ref stats.received);
        accepted++;
        if (buffer.Count >= settings.BufferCapacity)
        {
            // Counted and visible in the shard's statistics; upstream sees the full buffer before it comes to this.
            Interlocked.Increment(ref stats.dropped);
            settled++;
            droppedHere++;
            return;
        }
        buffer.Enqueue(entry);
        Interlocked.Increment(ref stats.buffered);
        WriteIfDue(force: false);
    }

    private void WriteIfDue(bool force)
    {
        if (!recovered || writing || buffer.Count == 0 || (!force && buffer.Count < settings.BatchSize)) return;
        if (unsure)
        {
            CatchUp();
            return;
        }
        var count = Math.Min(settings.BatchSize, buffer.Count);
        var rows = new JournalRow[count];
        var next = sequenceNr;
        var i = 0;
        foreach (var entry in buffer)
        {
            if (i == count) break;
            rows[i++] = new JournalRow(++next, entry);
        }
        writing = true;
        writeStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        CallStore((store, PersistenceId, rows),
            static (s, ct) => s.store.AppendAsync(s.PersistenceId, s.rows, ct),
            duplicates => new JournalWritten(rows, duplicates),
            failure => new JournalWriteFailed(failure));
    }

    private void OnWritten(JournalWritten written)
    {
        writing = false;
        stats.CountBatch(System.Diagnostics.Stopwatch.GetTimestamp() - writeStarted);
        var journaled = new List<ClosedEntry>(written.Rows.Count);
        foreach (var row in written.Rows)
        {
            buffer.Dequeue();
            if (written.Duplicates.Contains(row.Entry.Id))
            {
                // Written by a write whose reply was lost: journaled (and folded by CatchUp), not a redelivery.
                if (landed.Remove(row.Entry.Id)) journaled.Add(row.Entry);
                continue;
            }
            journaled.Add(row.Entry);
            partials.Fold(row.Entry);
        }
        sequenceNr = written.Rows[^1].SequenceNr;
        Interlocked.Add(ref stats.buffered, -written.Rows.Count);
        Interlocked.Add(ref stats.journaled, journaled.Count);
        Interlocked.Add(ref stats.duplicates, written.Rows.Count - journaled.Count);
        Interlocked.Exchange(ref stats.highestSequenceNr, sequenceNr);
        if (journaled.Count > 0) onJournaled?.Invoke(journaled);
        settled += written.Rows.Count;
        PassBarriers();
        WriteIfDue(force: draining);
        ReplyIfDrained();
    }

    /// <summary>
    /// After a failed write: whatever the store journaled beyond the shard's sequence number (the failed batch, if it
    /// committed after all) is folded and the sequence number moved past it, before the next write. Without this, the
    /// retry would find those entries stored, take them for redeliveries and never count them in the aggregates.
    /// </summary>
    private void CatchUp()
    {
        writing = true;
        CallStore((store, persistenceId: PersistenceId, after: sequenceNr),
            static async (s, ct) =>
            {
                var highest = await s.store.HighestSequenceNrAsync(s.persistenceId, ct).ConfigureAwait(false);
                var rows = new List<JournalRow>();
                var corrupt = new List<CorruptRow>();
                if (highest > s.after)
                    await foreach (var row in s.store.ReplayAsync(s.persistenceId, s.after, corrupt.Add, ct).ConfigureAwait(false)) rows.Add(row);
                return new JournalCaughtUp(highest, rows, corrupt);
            },
            caughtUp => caughtUp,
            failure => new JournalWriteFailed(failure));
    }

    private void OnCaughtUp(JournalCaughtUp caughtUp)
    {
        writing = false;
        unsure = false;
        foreach (var row in caughtUp.Rows)
        {
            partials.Fold(row.Entry);
            landed.Add(row.Entry.Id);
        }
        foreach (var corrupt in caughtUp.Corrupt) ReportCorrupt(corrupt);
        sequenceNr = Math.Max(sequenceNr, caughtUp.HighestSequenceNr);
        Interlocked.Exchange(ref stats.highestSequenceNr, sequenceNr);
        WriteIfDue(force: true);
        ReplyIfDrained();
    }

    /// <summary>Hands the partials gathered so far to the store, covering every row journaled until now.</summary>
    private void Flush()
    {
        if (!recovered || flushing is not null || (partials.IsEmpty && snapshotSequenceNr == sequenceNr)) return;
        flushing = partials;
        partials = new ShardAggregates(settings.Window);
        var covers = sequenceNr;
        flushing.HandOver(covers);
        CallStore((store, PersistenceId, covers, flushing, onCorrupt: (Action<CorruptRow>)ReportCorrupt),
            static async (s, ct) =>
            {
                await s.flushing.SaveAsync(s.store, s.PersistenceId, s.covers, s.onCorrupt, ct).ConfigureAwait(false);
                return true;
            },
            _ => new AggregatesFlushed(covers, null),
            failure => new AggregatesFlushed(covers, failure));
    }

    private void OnFlushed(AggregatesFlushed flushed)
    {
        var handedOver = flushing!;
        flushing = null;
        if (flushed.Failure is not null)
        {
            // Nothing was stored (one transaction): fold the partials back and try again at the next flush.
            handedOver.Absorb(partials);
            partials = handedOver;
            LogFailure(flushed.Failure, "aggregate flush");
            return;
        }
        snapshotSequenceNr = flushed.CoversSequenceNr;
        Interlocked.Increment(ref stats.flushes);
        Interlocked.Exchange(ref stats.snapshotSequenceNr, snapshotSequenceNr);
        if (draining) Flush();
        ReplyIfDrained();
    }

    /// <summary>
    /// What a query must add to the stored rows for this shard: the parts not flushed yet and those of the flush in
    /// flight, copied on this turn. Each says from which snapshot the store holds it, so the query counts it exactly
    /// once whether the flush commits before, during or after its read of the store.
    /// </summary>
    private PendingAggregates Pending(GetPendingAggregates query)
    {
        var parts = new List<PendingPart>();
        if (flushing is not null) parts.AddRange(flushing.Pending(PersistenceId, sequenceNr, query.Operation, query.From, query.To));
        parts.AddRange(partials.Pending(PersistenceId, sequenceNr, query.Operation, query.From, query.To));
        return new PendingAggregates(shard, PersistenceId, recovered, parts);
    }

    private void Recover()
    {
        if (recovering || recovered) return;
        recovering = true;
        CallStore((store, PersistenceId, settings.Window),
            static (s, ct) => ReadBackAsync(s.store, s.PersistenceId, s.Window, ct),
            readBack => readBack,
            failure => new SinkRecoveryFailed(failure));
    }

    /// <summary>
    /// Runs one store call through the resilience pipeline, off the actor's turn, and tells the shard its outcome as a
    /// message (<paramref name="done"/> or <paramref name="failed"/>): the shard never blocks on its store.
    /// </summary>
    private void CallStore<TState, TResult>(TState state, Func<TState, CancellationToken, Task<TResult>> call, Func<TResult, object> done, Func<Exception, object> failed)
    {
        var self = Self;
        var token = stopping.Token;
        // Off the shard's turn: SQLite's "async" calls run synchronously (a busy database would block the turn for the
        // whole busy timeout), and the shard must keep accepting, counting and answering while the store works.
        _ = Task.Run(() => pipeline.ExecuteAsync(static async (s, ct) => await s.call(s.state, ct).ConfigureAwait(false), (state, call), token).AsTask())
            .ContinueWith(t => self.Tell(t.IsCompletedSuccessfully ? done(t.Result) : failed(Unwrap(t)), self), TaskScheduler.Default);
    }

    /// <summary>Snapshot + replay: the aggregates stored cover the journal up to the snapshot; later rows are folded again.</summary>
    private static async Task<object> ReadBackAsync(ISinkStore store, string persistenceId, TimeSpan window, CancellationToken cancellationToken)
    {
        var snapshot = await store.SnapshotSequenceNrAsync(persistenceId, cancellationToken).ConfigureAwait(false);
        var highest = await store.HighestSequenceNrAsync(persistenceId, cancellationToken).ConfigureAwait(false);
        var replayed = new ShardAggregates(window);
        var corrupt = new List<CorruptRow>();
        long count = 0;
        await foreach (var row in store.ReplayAsync(persistenceId, snapshot, corrupt.Add, cancellationToken).ConfigureAwait(false))
        {
            replayed.Fold(row.Entry);
            count++;
        }
        return new SinkRecovered(highest, snapshot, replayed, count, corrupt);
    }

    private void OnRecovered(SinkRecovered done)
    {
        recovering = false;
        recovered = true;
        sequenceNr = done.HighestSequenceNr;
        snapshotSequenceNr = done.SnapshotSequenceNr;
        done.Replayed.Absorb(partials);
        partials = done.Replayed;
        foreach (var corrupt in done.Corrupt) ReportCorrupt(corrupt);
        stats.recovered = true;
        Interlocked.Exchange(ref stats.highestSequenceNr, sequenceNr);
        Interlocked.Exchange(ref stats.snapshotSequenceNr, snapshotSequenceNr);
        Log.Information("Sink shard {PersistenceId} recovered from {Store}: snapshot at {Snapshot}, replayed {Replayed} rows up to {Highest}",
            PersistenceId, store.Name, snapshotSequenceNr, done.ReplayedRows, sequenceNr);
        WriteIfDue(force: true);
    }

    /// <summary>Answers every barrier whose entries are all settled: the buffer is FIFO, so a count is enough.</summary>
    private void PassBarriers()
    {
        for (var i = barriers.Count - 1; i >= 0; i--)
        {
            var (requester, target, droppedBefore) = barriers[i];
            if (settled < target) continue;
            requester.Tell(new JournalBarrierPassed(shard, droppedHere - droppedBefore), Self);
            barriers.RemoveAt(i);
        }
    }

    private void ReplyIfDrained()
    {
        if (!draining || drainRequester is null) return;
        if (buffer.Count > 0 || writing || flushing is not null || !partials.IsEmpty || snapshotSequenceNr != sequenceNr) return;
        drainRequester.Tell(new SinkDrained(shard, 0), Self);
        drainRequester = null;
    }

    private void ReportCorrupt(CorruptRow row)
    {
        Interlocked.Increment(ref stats.corruptRows);
        Log.Error("Skipped an unreadable row at {Location} ({PersistenceId} #{SequenceNr}): {Reason}", row.Location, row.PersistenceId, row.SequenceNr, row.Reason);
    }

    /// <summary>At most one failure line every 10 s per shard: a dead store must not flood the log.</summary>
    private void LogFailure(Exception cause, string what)
    {
        var now = DateTime.UtcNow;
        if (now - lastFailureLog < TimeSpan.FromSeconds(10)) return;
        lastFailureLog = now;
        Log.Warning(cause, "Sink shard {PersistenceId}: {What} against {Store} failed; {Buffered} entries buffered, will retry",
            PersistenceId, what, store.Name, buffer.Count);
    }

    private static Exception Unwrap(Task task) =>
        task.Exception?.InnerExceptions is [var single] ? single : (Exception?)task.Exception ?? new OperationCanceledException("The store call was cancelled.");
}
