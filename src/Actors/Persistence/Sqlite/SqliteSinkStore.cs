using System.Runtime.CompilerServices;
using System.Text.Json;
using Aggregator.Contracts;
using Aggregator.Contracts.Json;
using Microsoft.Data.Sqlite;

namespace Aggregator.Actors.Persistence.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file (the service passes <c>&lt;DataDirectory&gt;/aggregator.db</c>) in WAL
/// mode, so queries and replays read without blocking the shards' writes. All writes go through one dedicated
/// connection, one IMMEDIATE transaction per call, with prepared statements (<see cref="SqliteWriter"/>); reads take
/// a pooled connection each. Schema and durability settings are described in docs/persistence.md.
/// </summary>
public sealed class SqliteSinkStore : ISinkStore
{
    /// <summary>How long a writer waits for another process's or instance's lock on the file before failing.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The largest page <see cref="GetEntriesAsync"/> returns.</summary>
    public const int MaxPageSize = 1000;

    private readonly SqliteDatabase database;
    private readonly SemaphoreSlim initializeGate = new(1, 1);
    private SqliteWriter? writer;
    private bool disposed;

    /// <param name="filePath">The database file (created with its directory if missing).</param>
    /// <param name="busyTimeout">How long a write waits for another process's lock on the file; default <see cref="DefaultBusyTimeout"/>.</param>
    /// <param name="synchronous">
    /// Whether a commit waits for the disk: <see cref="SqliteSynchronous.Normal"/> (default; survives process crashes,
    /// a power loss can roll back the last commits) or <see cref="SqliteSynchronous.Full"/> (an fsync per commit).
    /// </param>
    public SqliteSinkStore(string filePath, TimeSpan? busyTimeout = null, SqliteSynchronous synchronous = SqliteSynchronous.Normal)
    {
        database = new SqliteDatabase(filePath, busyTimeout ?? DefaultBusyTimeout, synchronous);
    }

    /// <summary>The <c>PRAGMA synchronous</c> level every connection of this store uses.</summary>
    public SqliteSynchronous Synchronous => database.Synchronous;

    public string Name => "sqlite";

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath => database.FilePath;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await initializeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var directory = Path.GetDirectoryName(database.FilePath);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);

            var connection = await database.OpenAsync(cancellationToken, pooled: false).ConfigureAwait(false);
            try
            {
                EnableWal(connection);
                SqliteSchema.Migrate(connection);
                if (writer is null) writer = new SqliteWriter(connection, new SqliteCheckpointer(database));
                else await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (SqliteException ex)
        {
            throw database.Failure("initialize", null, ex);
        }
        finally
        {
            initializeGate.Release();
        }
    }

    public async Task<IReadOnlySet<string>> AppendAsync(string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken = default)
    {
        SinkStoreArguments.CheckBatch(persistenceId, rows);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await Writer.AppendAsync(persistenceId, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw database.Failure("append", persistenceId, ex);
        }
    }

    public async Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return await ScalarAsync("highest sequence number", persistenceId,
            "SELECT COALESCE(MAX(sequence_nr), 0) FROM journal WHERE persistence_id = $pid", cancellationToken).ConfigureAwait(false);
    }

    public IAsyncEnumerable<JournalRow> ReplayAsync(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken = default)
    {
        // Checked here, not in the iterator, so a bad call fails where it is made rather than at the first MoveNext.
        SinkStoreArguments.CheckReplay(persistenceId, afterSequenceNr, onCorrupt);
        EnsureReady();
        return Replay(persistenceId, afterSequenceNr, onCorrupt, cancellationToken);
    }

    public async Task<long> SnapshotSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return await ScalarAsync("snapshot sequence number", persistenceId,
            "SELECT COALESCE(MAX(covers_sequence_nr), 0) FROM snapshots WHERE persistence_id = $pid", cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AggregateRow>> LoadAggregatesAsync(string persistenceId, IReadOnlyCollection<AggregateKey> keys, CancellationToken cancellationToken = default)
    {
        SinkStoreArguments.CheckKeys(persistenceId, keys);
        EnsureReady();
        if (keys.Count == 0) return [];
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT persistence_id, operation, dimensions_key, window_start, dimensions, state FROM aggregates
                WHERE persistence_id = $pid AND operation = $op AND dimensions_key = $key AND window_start = $window
                """;
            command.Parameters.AddWithValue("$pid", persistenceId);
            var operation = command.Parameters.Add("$op", SqliteType.Text);
            var dimensionsKey = command.Parameters.Add("$key", SqliteType.Text);
            var windowStart = command.Parameters.Add("$window", SqliteType.Integer);
            command.Prepare();

            var found = new List<AggregateRow>();
            foreach (var key in keys.Distinct())
            {
                cancellationToken.ThrowIfCancellationRequested();
                operation.Value = key.Operation;
                dimensionsKey.Value = key.DimensionsKey;
                windowStart.Value = key.WindowStart.UtcTicks;
                using var reader = command.ExecuteReader();
                if (reader.Read()) found.Add(ReadAggregate(reader));
            }
            return found;
        }
        catch (SqliteException ex)
        {
            throw database.Failure("load aggregates", persistenceId, ex);
        }
    }

    public async Task SaveAggregatesAsync(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken = default)
    {
        SinkStoreArguments.CheckAggregates(persistenceId, coversSequenceNr, rows);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await Writer.SaveAggregatesAsync(persistenceId, coversSequenceNr, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw database.Failure("save aggregates", persistenceId, ex);
        }
    }

    public async Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entryId);
        EnsureReady();
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT persistence_id, sequence_nr, payload FROM journal WHERE entry_id = $id";
            command.Parameters.AddWithValue("$id", entryId);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return reader.Read() ? ReadQueriedEntry(reader) : null;
        }
        catch (SqliteException ex)
        {
            throw database.Failure($"get entry {entryId}", null, ex);
        }
    }

    public async Task<EntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default)
    {
        SinkStoreArguments.CheckEntryQuery(query, MaxPageSize);
        var after = query.After is null ? (EntryCursor?)null : EntryCursor.Decode(query.After, nameof(query));
        EnsureReady();
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            // The row-value comparison is the keyset: it resumes exactly after the last (closed_at, entry_id) seen,
            // ties on closed_at included, and walks the (operation, closed_at, entry_id) index.
            command.CommandText = """
                SELECT persistence_id, sequence_nr, payload, closed_at, entry_id FROM journal
                WHERE operation = $op AND closed_at >= $from AND closed_at < $to
                  AND (closed_at, entry_id) > ($afterAt, $afterId)
                ORDER BY closed_at, entry_id
                LIMIT $take
                """;
            command.Parameters.AddWithValue("$op", query.Operation);
            command.Parameters.AddWithValue("$from", query.From.UtcTicks);
            command.Parameters.AddWithValue("$to", query.To.UtcTicks);
            command.Parameters.AddWithValue("$afterAt", after?.ClosedAtTicks ?? long.MinValue);
            command.Parameters.AddWithValue("$afterId", after?.EntryId ?? "");
            command.Parameters.AddWithValue("$take", query.Limit + 1);

            var entries = new List<ClosedEntry>(Math.Min(query.Limit, 128));
            EntryCursor last = default;
            var more = false;
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (reader.Read())
            {
                if (entries.Count == query.Limit)
                {
                    more = true;
                    break;
                }
                entries.Add(ReadQueriedEntry(reader));
                last = new EntryCursor(reader.GetInt64(3), reader.GetString(4));
            }
            return new EntryPage(entries, more ? last.Encode() : null);
        }
        catch (SqliteException ex)
        {
            throw database.Failure($"get entries of {query.Operation}", null, ex);
        }
    }

    public async Task<IReadOnlyList<AggregateRow>> GetAggregatesAsync(string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        EnsureReady();
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT persistence_id, operation, dimensions_key, window_start, dimensions, state FROM aggregates
                WHERE operation = $op AND window_start >= $from AND window_start < $to
                ORDER BY window_start, dimensions_key, persistence_id
                """;
            command.Parameters.AddWithValue("$op", operation);
            command.Parameters.AddWithValue("$from", from.UtcTicks);
            command.Parameters.AddWithValue("$to", to.UtcTicks);
            var rows = new List<AggregateRow>();
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                rows.Add(ReadAggregate(reader));
            }
            return rows;
        }
        catch (SqliteException ex)
        {
            throw database.Failure($"get aggregates of {operation}", null, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await initializeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (disposed) return;
            disposed = true;
            if (writer is not null) await writer.DisposeAsync().ConfigureAwait(false);
            writer = null;
            database.ReleasePooledConnections();
        }
        finally
        {
            initializeGate.Release();
        }
    }

    /// <summary>Reads need no writer, but a store used before InitializeAsync would read a file without a schema.</summary>
    private void EnsureReady() => _ = Writer;

    private SqliteWriter Writer
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return writer ?? throw new InvalidOperationException("The SQLite store is not initialized: call InitializeAsync first.");
        }
    }

    /// <summary>
    /// journal_mode is a property of the file, not the connection, and cannot change inside a transaction, so it is
    /// set once here. A file on a filesystem without shared memory support would silently stay in rollback mode; refuse it.
    /// </summary>
    private void EnableWal(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"sqlite store: {database.FilePath} could not be put in WAL mode (journal_mode is {mode}).");
        }
    }

    private async IAsyncEnumerable<JournalRow> Replay(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SqliteConnection connection;
        try
        {
            connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw database.Failure("replay", persistenceId, ex);
        }
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT sequence_nr, entry_id, payload FROM journal
                WHERE persistence_id = $pid AND sequence_nr > $after
                ORDER BY sequence_nr
                """;
            command.Parameters.AddWithValue("$pid", persistenceId);
            command.Parameters.AddWithValue("$after", afterSequenceNr);
            SqliteDataReader reader;
            try
            {
                reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex)
            {
                throw database.Failure("replay", persistenceId, ex);
            }
            await using (reader.ConfigureAwait(false))
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    bool more;
                    try
                    {
                        more = reader.Read();
                    }
                    catch (SqliteException ex)
                    {
                        throw database.Failure("replay", persistenceId, ex);
                    }
                    if (!more) yield break;

                    var sequenceNr = reader.GetInt64(0);
                    var entry = TryReadEntry(reader, entryIdOrdinal: 1, payloadOrdinal: 2, out var reason);
                    if (entry is not null) yield return new JournalRow(sequenceNr, entry);
                    else onCorrupt(new CorruptRow(persistenceId, sequenceNr, database.JournalLocation(persistenceId, sequenceNr), reason!));
                }
            }
        }
    }

    /// <summary>
    /// The row's entry, or null with the reason it cannot be trusted: the payload is missing, is not a closed entry,
    /// or is the entry of another id than the row's (a row edited or mixed up behind the store's back).
    /// </summary>
    private static ClosedEntry? TryReadEntry(SqliteDataReader reader, int entryIdOrdinal, int payloadOrdinal, out string? reason)
    {
        if (reader.IsDBNull(payloadOrdinal))
        {
            reason = "payload is NULL";
            return null;
        }
        ClosedEntry entry;
        try
        {
            entry = ReadPayload(reader, payloadOrdinal);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            reason = $"payload is not a closed entry: {ex.Message}";
            return null;
        }
        var entryId = reader.GetString(entryIdOrdinal);
        if (entry.Id != entryId)
        {
            reason = $"payload holds entry {entry.Id} but the row's entry_id is {entryId}";
            return null;
        }
        reason = null;
        return entry;
    }

    /// <summary>
    /// A payload as either format: a blob is <see cref="EntryCodec"/>'s (what this build writes), text is the
    /// ContractsJson that builds before schema version 2 wrote (still read, never rewritten).
    /// </summary>
    private static ClosedEntry ReadPayload(SqliteDataReader reader, int ordinal) =>
        reader.GetFieldType(ordinal) == typeof(byte[])
            ? EntryCodec.Decode(reader.GetFieldValue<byte[]>(ordinal))
            : ContractsJson.DeserializeClosedEntry(reader.GetString(ordinal));

    /// <summary>A queried entry (columns persistence_id, sequence_nr, payload, …); a query has nobody to report to, so a corrupt row fails it with its location.</summary>
    private ClosedEntry ReadQueriedEntry(SqliteDataReader reader)
    {
        var persistenceId = reader.GetString(0);
        var sequenceNr = reader.GetInt64(1);
        if (reader.IsDBNull(2)) throw new InvalidDataException($"{database.JournalLocation(persistenceId, sequenceNr)}: payload is NULL");
        try
        {
            return ReadPayload(reader, 2);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"{database.JournalLocation(persistenceId, sequenceNr)}: payload is not a closed entry: {ex.Message}", ex);
        }
    }

    /// <summary>An aggregate row from columns persistence_id, operation, dimensions_key, window_start, dimensions, state.</summary>
    private AggregateRow ReadAggregate(SqliteDataReader reader)
    {
        var persistenceId = reader.GetString(0);
        var key = new AggregateKey(reader.GetString(1), reader.GetString(2), new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero));
        IReadOnlyDictionary<string, string> dimensions;
        try
        {
            dimensions = DimensionsJson.Read(reader.GetString(4));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"sqlite:{database.FilePath}#aggregates(persistence_id={persistenceId},operation={key.Operation},dimensions_key={key.DimensionsKey},window_start={key.WindowStart:O}): dimensions are not a JSON object of strings: {ex.Message}",
                ex);
        }
        return new AggregateRow(persistenceId, key, dimensions, reader.GetFieldValue<byte[]>(5));
    }

    private async Task<long> ScalarAsync(string operation, string persistenceId, string sql, CancellationToken cancellationToken)
    {
        EnsureReady();
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$pid", persistenceId);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (SqliteException ex)
        {
            throw database.Failure(operation, persistenceId, ex);
        }
    }
}
