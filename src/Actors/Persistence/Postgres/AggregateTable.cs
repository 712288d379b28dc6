using System.Text.Json;
using Aggregator.Contracts.Json;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Actors.Persistence.Postgres;

/// <summary>
/// Reads and writes partial aggregate rows. Keys and rows travel as parallel arrays expanded by <c>unnest</c>, so a
/// whole flush is one statement (one round trip, one plan) however many rows it holds, and the upsert replaces each
/// row the shard has already merged in memory. The state blob is never looked into.
/// </summary>
internal static class AggregateTable
{
    public static async Task<IReadOnlyList<AggregateRow>> LoadAsync(
        PostgresDatabase db, string persistenceId, IReadOnlyCollection<AggregateKey> keys, CancellationToken cancellationToken)
    {
        var distinct = keys.Distinct().ToArray();
        await using var command = db.DataSource.CreateCommand($"""
            SELECT a.persistence_id, a.operation, a.dimensions_key, a.window_start, a.dimensions::text, a.state
            FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS k(operation, dimensions_key, window_start)
            JOIN {db.Aggregates} a
              ON a.persistence_id = $1 AND a.operation = k.operation AND a.dimensions_key = k.dimensions_key AND a.window_start = k.window_start
            ORDER BY a.operation, a.dimensions_key, a.window_start
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = persistenceId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = distinct.Select(k => k.Operation).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = distinct.Select(k => k.DimensionsKey).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = distinct.Select(k => k.WindowStart.UtcDateTime).ToArray() });
        return await ReadRowsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every persistence id's rows of the operation whose window starts in [from, to), served by the (operation, window_start) index.</summary>
    public static async Task<IReadOnlyList<AggregateRow>> QueryAsync(
        PostgresDatabase db, string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = db.DataSource.CreateCommand($"""
            SELECT persistence_id, operation, dimensions_key, window_start, dimensions::text, state
            FROM {db.Aggregates}
            WHERE operation = $1 AND window_start >= $2 AND window_start < $3
            ORDER BY window_start, dimensions_key, persistence_id
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = operation });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = from.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = to.UtcDateTime });
        return await ReadRowsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Upserts the rows and moves the snapshot in one transaction, sent as one batch: a crash leaves both or neither.
    /// Rows repeating a key are collapsed to the last (ON CONFLICT DO UPDATE may not touch a row twice in one statement).
    /// </summary>
    public static async Task SaveAsync(
        PostgresDatabase db, string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken)
    {
        var byKey = new Dictionary<AggregateKey, AggregateRow>(rows.Count);
        foreach (var row in rows) byKey[row.Key] = row;
        var latest = byKey.Values.ToArray();

        await using var connection = await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);

        if (latest.Length > 0)
        {
            var upsert = new NpgsqlBatchCommand($"""
                INSERT INTO {db.Aggregates} (persistence_id, operation, dimensions_key, window_start, dimensions, state)
                SELECT $1, r.operation, r.dimensions_key, r.window_start, r.dimensions::jsonb, r.state
                FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::bytea[]) AS r(operation, dimensions_key, window_start, dimensions, state)
                ON CONFLICT (persistence_id, operation, dimensions_key, window_start)
                DO UPDATE SET dimensions = EXCLUDED.dimensions, state = EXCLUDED.state
                """);
            upsert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = persistenceId });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = latest.Select(r => r.Key.Operation).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = latest.Select(r => r.Key.DimensionsKey).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = latest.Select(r => r.Key.WindowStart.UtcDateTime).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = latest.Select(r => SerializeDimensions(r.Dimensions)).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = latest.Select(r => r.State).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            batch.BatchCommands.Add(upsert);
        }

        var snapshot = new NpgsqlBatchCommand($"""
            INSERT INTO {db.Snapshots} (persistence_id, covers_sequence_nr) VALUES ($1, $2)
            ON CONFLICT (persistence_id) DO UPDATE SET covers_sequence_nr = EXCLUDED.covers_sequence_nr
            """);
        snapshot.Parameters.Add(new NpgsqlParameter<string> { TypedValue = persistenceId });
        snapshot.Parameters.Add(new NpgsqlParameter<long> { TypedValue = coversSequenceNr });
        batch.BatchCommands.Add(snapshot);

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<AggregateRow>> ReadRowsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<AggregateRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = new AggregateKey(reader.GetString(1), reader.GetString(2), new DateTimeOffset(reader.GetFieldValue<DateTime>(3), TimeSpan.Zero));
            rows.Add(new AggregateRow(reader.GetString(0), key, DeserializeDimensions(reader.GetString(4)), reader.GetFieldValue<byte[]>(5)));
        }
        return rows;
    }

    private static string SerializeDimensions(IReadOnlyDictionary<string, string> dimensions) =>
        JsonSerializer.Serialize(dimensions, ContractsJsonContext.Default.IReadOnlyDictionaryStringString);

    private static Dictionary<string, string> DeserializeDimensions(string json) =>
        JsonSerializer.Deserialize(json, ContractsJsonContext.Default.DictionaryStringString)
        ?? throw new JsonException("aggregate dimensions: got null; expected an object");
}
