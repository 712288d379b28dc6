using System.Text.Json;
using Aggregator.Contracts;
using Aggregator.Contracts.Json;
using Npgsql;

namespace Aggregator.Actors.Persistence.Postgres;

/// <summary>
/// Reads journal rows back: replay pages for recovery and the entry queries. Each call takes a pooled connection and
/// gives it back before returning, so a slow consumer of a replay never pins a connection (or a snapshot) while it
/// folds rows. Payloads are checked here: a row whose payload is not the closed entry its entry_id names cannot be trusted.
/// </summary>
internal static class JournalReads
{
    /// <summary>One stored row as read, before its payload is trusted.</summary>
    /// <remarks>
    /// <paramref name="Entry"/> is the <see cref="EntryCodec"/> bytes this build writes; <paramref name="Payload"/> the
    /// ContractsJson text that builds before schema version 2 wrote. A row has one of them.
    /// </remarks>
    public readonly record struct StoredRow(string PersistenceId, long SequenceNr, string EntryId, DateTime ClosedAtUtc, string? Payload, byte[]? Entry);

    /// <summary>Up to <paramref name="limit"/> rows of the persistence id after the sequence number, in order (a primary-key range scan).</summary>
    public static async Task<List<StoredRow>> ReplayPageAsync(
        PostgresDatabase db, string persistenceId, long afterSequenceNr, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.DataSource.CreateCommand($"""
            SELECT persistence_id, sequence_nr, entry_id, closed_at, payload, entry FROM {db.Journal}
            WHERE persistence_id = $1 AND sequence_nr > $2
            ORDER BY sequence_nr
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = persistenceId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterSequenceNr });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<StoredRow?> EntryAsync(PostgresDatabase db, string entryId, CancellationToken cancellationToken)
    {
        await using var command = db.DataSource.CreateCommand(
            $"SELECT persistence_id, sequence_nr, entry_id, closed_at, payload, entry FROM {db.Journal} WHERE entry_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entryId });
        var rows = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Up to <paramref name="limit"/> rows of the operation closed in [from, to) after the cursor, in (closed_at,
    /// entry_id) order. The row-value comparison is the keyset: it resumes exactly after the last row seen, ties on
    /// closed_at included, and walks the (operation, closed_at) index (rows of one instant sorted by entry_id on the way).
    /// </summary>
    public static async Task<List<StoredRow>> EntriesAsync(
        PostgresDatabase db, string operation, DateTimeOffset from, DateTimeOffset to, EntryCursor? after, int limit, CancellationToken cancellationToken)
    {
        // closed_at >= the cursor's is the part of the keyset the (operation, closed_at) index can seek to; the row value
        // then drops the rows of that instant up to and including the cursor's entry.
        var keyset = after is null ? "" : "AND closed_at >= $5 AND (closed_at, entry_id) > ($5, $6)";
        await using var command = db.DataSource.CreateCommand($"""
            SELECT persistence_id, sequence_nr, entry_id, closed_at, payload, entry FROM {db.Journal}
            WHERE operation = $1 AND closed_at >= $2 AND closed_at < $3 {keyset}
            ORDER BY closed_at, entry_id
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = operation });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        if (after is { } cursor)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = cursor.ClosedAtUtc });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = cursor.EntryId });
        }
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The row's entry, or null with the reason it cannot be trusted: the payload is not a closed entry, or is the entry
    /// of another id than the row's (a row edited or mixed up behind the store's back).
    /// </summary>
    public static ClosedEntry? TryReadEntry(StoredRow row, out string? reason)
    {
        ClosedEntry entry;
        try
        {
            if (row.Entry is { } bytes) entry = EntryCodec.Decode(bytes);
            else if (row.Payload is { } json) entry = ContractsJson.DeserializeClosedEntry(json);
            else
            {
                reason = "payload is NULL";
                return null;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            reason = $"payload is not a closed entry: {ex.Message}";
            return null;
        }
        if (entry.Id != row.EntryId)
        {
            reason = $"payload holds entry {entry.Id} but the row's entry_id is {row.EntryId}";
            return null;
        }
        reason = null;
        return entry;
    }

    private static async Task<List<StoredRow>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StoredRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetFieldValue<DateTime>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<byte[]>(5)));
        }
        return rows;
    }
}
