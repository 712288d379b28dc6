using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Actors.Persistence.Postgres;

/// <summary>
/// Appends a batch to the journal at COPY speed without giving up idempotency. The usual batch holds no entry the
/// journal already has, so it is first streamed (binary COPY) straight into the journal: each row written once. COPY
/// cannot skip rows that conflict, so when that fails with a unique violation (a redelivered entry, a repeat within
/// the batch, or a different entry at a taken sequence number) the attempt is rolled back and the batch goes the slow,
/// exact way: COPY into a session-local staging table, then one
/// <c>INSERT … SELECT … ON CONFLICT (entry_id) DO NOTHING RETURNING entry_id</c>, whose returned ids are the rows
/// written; every other row was already stored or repeats an earlier row of the same batch (and a taken sequence
/// number still fails it). Each attempt is one transaction, so a failure writes nothing and the caller can retry.
/// </summary>
internal static class JournalAppend
{
    /// <summary>
    /// Temporary, so it is per session and never WAL-logged; ON COMMIT DELETE ROWS, so it is empty at the start of every
    /// transaction and survives in the session (see <see cref="PostgresDatabase"/>: the pool does not reset sessions)
    /// instead of being created per batch. <c>ordinal</c> keeps the batch order, so the first of two rows with the same
    /// id is the one written.
    /// </summary>
    private const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS aggregator_journal_staging_v2 (
            ordinal     integer          NOT NULL,
            sequence_nr bigint           NOT NULL,
            entry_id    text COLLATE "C" NOT NULL,
            operation   text COLLATE "C" NOT NULL,
            closed_at   timestamptz      NOT NULL,
            entry       bytea            NOT NULL
        ) ON COMMIT DELETE ROWS
        """;

    private const string CopyIntoStaging =
        "COPY pg_temp.aggregator_journal_staging_v2 (ordinal, sequence_nr, entry_id, operation, closed_at, entry) FROM STDIN (FORMAT BINARY)";

    private static readonly IReadOnlySet<string> NoneSkipped = System.Collections.Frozen.FrozenSet<string>.Empty;

    public static async Task<IReadOnlySet<string>> AppendAsync(
        PostgresDatabase db, string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await TryCopyIntoJournalAsync(db, connection, persistenceId, rows, cancellationToken).ConfigureAwait(false)) return NoneSkipped;
        return await AppendThroughStagingAsync(db, connection, persistenceId, rows, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The fast path: COPY the whole batch into the journal and commit. False (with nothing written) when a row
    /// collides with a unique key, so the caller can take the path that tells duplicates apart; any other failure
    /// propagates.
    /// </summary>
    private static async Task<bool> TryCopyIntoJournalAsync(
        PostgresDatabase db, NpgsqlConnection connection, string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CopyAsync(connection,
                $"COPY {db.Journal} (persistence_id, sequence_nr, entry_id, operation, closed_at, entry) FROM STDIN (FORMAT BINARY)",
                persistenceId, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<IReadOnlySet<string>> AppendThroughStagingAsync(
        PostgresDatabase db, NpgsqlConnection connection, string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var create = new NpgsqlCommand(CreateStaging, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await CopyAsync(connection, CopyIntoStaging, persistenceId: null, rows, cancellationToken).ConfigureAwait(false);

        var written = new HashSet<string>(rows.Count, StringComparer.Ordinal);
        await using (var move = new NpgsqlCommand($"""
            INSERT INTO {db.Journal} (persistence_id, sequence_nr, entry_id, operation, closed_at, entry)
            SELECT $1, sequence_nr, entry_id, operation, closed_at, entry
            FROM pg_temp.aggregator_journal_staging_v2
            ORDER BY ordinal
            ON CONFLICT (entry_id) DO NOTHING
            RETURNING entry_id
            """, connection, transaction))
        {
            move.Parameters.Add(new NpgsqlParameter<string> { TypedValue = persistenceId });
            await using var reader = await move.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) written.Add(reader.GetString(0));
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

        // Row by row, as the SQLite store reports it: the first row of a written id is the one written; any other row
        // (already stored, or a repeat within this batch) was skipped, and its id is reported.
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var counted = new HashSet<string>(written.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var id = row.Entry.Id;
            if (!(written.Contains(id) && counted.Add(id))) skipped.Add(id);
        }
        return skipped;
    }

    /// <summary>
    /// Streams the rows in binary. Into the staging table (<paramref name="persistenceId"/> null) the first column is
    /// the row's ordinal; into the journal it is the persistence id.
    /// </summary>
    private static async Task CopyAsync(
        NpgsqlConnection connection, string copy, string? persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var entry = row.Entry;
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            if (persistenceId is null) await importer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            else await importer.WriteAsync(persistenceId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.SequenceNr, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(entry.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(entry.Operation, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(entry.ClosedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(EntryCodec.Encode(entry), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
        }
        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
