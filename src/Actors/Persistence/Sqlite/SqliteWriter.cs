using System.Collections.Frozen;
using Microsoft.Data.Sqlite;

namespace Aggregator.Actors.Persistence.Sqlite;

/// <summary>
/// The store's only write path: one dedicated connection whose statements are prepared once and reused for every
/// batch, behind a gate so the shards' writes take turns in process (SQLite admits one writer at a time anyway;
/// queuing here is cheaper and fairer than spinning on SQLITE_BUSY). Other processes or store instances on the same
/// file are handled by busy_timeout and IMMEDIATE transactions.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private static readonly IReadOnlySet<string> NoneSkipped = FrozenSet<string>.Empty;

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly SqliteConnection connection;
    private readonly SqliteCheckpointer? checkpointer;
    private readonly SqliteCommand insertJournal;
    private readonly SqliteCommand upsertAggregate;
    private readonly SqliteCommand upsertSnapshot;

    // Parameters are created once and only their values change per row.
    private readonly SqliteParameter journalPersistenceId, journalSequenceNr, journalEntryId, journalOperation, journalClosedAt, journalPayload;
    private readonly SqliteParameter aggregatePersistenceId, aggregateOperation, aggregateDimensionsKey, aggregateWindowStart, aggregateDimensions, aggregateState;
    private readonly SqliteParameter snapshotPersistenceId, snapshotCovers;

    /// <param name="connection">The write connection, opened with the store's pragmas; the writer owns it from here.</param>
    /// <param name="checkpointer">
    /// When given, WAL checkpoints run there instead of inside this connection's commits (which then only nudge it), and
    /// this connection keeps <see cref="SqliteCheckpointer.WriterBackstopPages"/> as its own auto-checkpoint limit.
    /// </param>
    public SqliteWriter(SqliteConnection connection, SqliteCheckpointer? checkpointer = null)
    {
        this.connection = connection;
        this.checkpointer = checkpointer;
        if (checkpointer is not null)
        {
            using var backstop = Command($"PRAGMA wal_autocheckpoint = {SqliteCheckpointer.WriterBackstopPages}");
            backstop.ExecuteNonQuery();
        }

        // ON CONFLICT names entry_id only: a redelivered entry is skipped, but a different entry at a sequence number
        // already taken is a caller bug and must fail the batch, not vanish.
        insertJournal = Command("""
            INSERT INTO journal (persistence_id, sequence_nr, entry_id, operation, closed_at, payload)
            VALUES ($pid, $seq, $id, $op, $closed, $payload)
            ON CONFLICT (entry_id) DO NOTHING
            """);
        journalPersistenceId = insertJournal.Parameters.Add("$pid", SqliteType.Text);
        journalSequenceNr = insertJournal.Parameters.Add("$seq", SqliteType.Integer);
        journalEntryId = insertJournal.Parameters.Add("$id", SqliteType.Text);
        journalOperation = insertJournal.Parameters.Add("$op", SqliteType.Text);
        journalClosedAt = insertJournal.Parameters.Add("$closed", SqliteType.Integer);
        journalPayload = insertJournal.Parameters.Add("$payload", SqliteType.Blob);
        insertJournal.Prepare();

        upsertAggregate = Command("""
            INSERT INTO aggregates (persistence_id, operation, dimensions_key, window_start, dimensions, state)
            VALUES ($pid, $op, $key, $window, $dims, $state)
            ON CONFLICT (persistence_id, operation, dimensions_key, window_start)
            DO UPDATE SET dimensions = excluded.dimensions, state = excluded.state
            """);
        aggregatePersistenceId = upsertAggregate.Parameters.Add("$pid", SqliteType.Text);
        aggregateOperation = upsertAggregate.Parameters.Add("$op", SqliteType.Text);
        aggregateDimensionsKey = upsertAggregate.Parameters.Add("$key", SqliteType.Text);
        aggregateWindowStart = upsertAggregate.Parameters.Add("$window", SqliteType.Integer);
        aggregateDimensions = upsertAggregate.Parameters.Add("$dims", SqliteType.Text);
        aggregateState = upsertAggregate.Parameters.Add("$state", SqliteType.Blob);
        upsertAggregate.Prepare();

        upsertSnapshot = Command("""
            INSERT INTO snapshots (persistence_id, covers_sequence_nr) VALUES ($pid, $covers)
            ON CONFLICT (persistence_id) DO UPDATE SET covers_sequence_nr = excluded.covers_sequence_nr
            """);
        snapshotPersistenceId = upsertSnapshot.Parameters.Add("$pid", SqliteType.Text);
        snapshotCovers = upsertSnapshot.Parameters.Add("$covers", SqliteType.Integer);
        upsertSnapshot.Prepare();
    }

    /// <summary>Inserts the rows in one transaction; returns the ids already stored (under any persistence id).</summary>
    public async Task<IReadOnlySet<string>> AppendAsync(string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken)
    {
        // Serialise before taking the gate: it is the costly part and needs no database.
        var payloads = new byte[rows.Count][];
        for (var i = 0; i < rows.Count; i++) payloads[i] = EntryCodec.Encode(rows[i].Entry);

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            HashSet<string>? skipped = null;
            using var transaction = connection.BeginTransaction(deferred: false);
            insertJournal.Transaction = transaction;
            journalPersistenceId.Value = persistenceId;
            for (var i = 0; i < rows.Count; i++)
            {
                var entry = rows[i].Entry;
                journalSequenceNr.Value = rows[i].SequenceNr;
                journalEntryId.Value = entry.Id;
                journalOperation.Value = entry.Operation;
                journalClosedAt.Value = entry.ClosedAt.UtcTicks;
                journalPayload.Value = payloads[i];
                if (insertJournal.ExecuteNonQuery() == 0) (skipped ??= new HashSet<string>(StringComparer.Ordinal)).Add(entry.Id);
            }
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
            checkpointer?.Nudge();
            return skipped ?? NoneSkipped;
        }
        finally
        {
            insertJournal.Transaction = null;
            gate.Release();
        }
    }

    /// <summary>Upserts the aggregate rows and the snapshot's sequence number in one transaction.</summary>
    public async Task SaveAggregatesAsync(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken)
    {
        var dimensions = rows.Select(row => DimensionsJson.Write(row.Dimensions)).ToArray();

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            upsertAggregate.Transaction = transaction;
            upsertSnapshot.Transaction = transaction;
            aggregatePersistenceId.Value = persistenceId;
            var i = 0;
            foreach (var row in rows)
            {
                aggregateOperation.Value = row.Key.Operation;
                aggregateDimensionsKey.Value = row.Key.DimensionsKey;
                aggregateWindowStart.Value = row.Key.WindowStart.UtcTicks;
                aggregateDimensions.Value = dimensions[i++];
                aggregateState.Value = row.State;
                upsertAggregate.ExecuteNonQuery();
            }
            snapshotPersistenceId.Value = persistenceId;
            snapshotCovers.Value = coversSequenceNr;
            upsertSnapshot.ExecuteNonQuery();
            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
            checkpointer?.Nudge();
        }
        finally
        {
            upsertAggregate.Transaction = null;
            upsertSnapshot.Transaction = null;
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Wait for a write in progress to finish rather than closing the connection under it.
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (checkpointer is not null) await checkpointer.DisposeAsync().ConfigureAwait(false);
            insertJournal.Dispose();
            upsertAggregate.Dispose();
            upsertSnapshot.Dispose();
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
