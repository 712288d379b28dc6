using System.Runtime.CompilerServices;
using Aggregator.Contracts;
using Npgsql;

namespace Aggregator.Actors.Persistence.Postgres;

/// <summary>
/// The production store: one PostgreSQL schema (default <see cref="DefaultSchema"/>) holding the journal, snapshots and
/// aggregates, reached through one <see cref="NpgsqlDataSource"/> (its own connection pool). Journal batches go in by
/// binary COPY (<see cref="JournalAppend"/>), aggregate flushes as one set-based upsert (<see cref="AggregateTable"/>).
/// Driver failures surface as <see cref="PostgresSinkStoreException"/> naming the operation and persistence id; the
/// store never retries, so the sink shard's resilience pipeline sees every outage and decides. Schema and layout are
/// described in docs/persistence.md.
/// </summary>
public sealed class PostgresSinkStore : ISinkStore
{
    /// <summary>The schema the tables live in unless the configuration names another.</summary>
    public const string DefaultSchema = "aggregator";

    /// <summary>The largest page <see cref="GetEntriesAsync"/> returns.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Rows per replay round trip: large enough to stream quickly, small enough that a page is a few MB at most.</summary>
    private const int ReplayPageSize = 1000;

    private readonly PostgresDatabase database;
    private volatile bool initialized;
    private int disposed;

    /// <param name="connectionString">An Npgsql connection string (Host, Port, Username, Password, Database, …).</param>
    /// <param name="schema">The schema for every table: lower-case letters, digits and '_' (tests use one per test class).</param>
    public PostgresSinkStore(string connectionString, string schema = DefaultSchema)
    {
        database = new PostgresDatabase(connectionString, schema);
    }

    public string Name => "postgres";

    /// <summary>The schema the tables live in.</summary>
    public string Schema => database.Schema;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await PostgresSchema.MigrateAsync(database, connection, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw database.Failure("initialize", null, ex);
        }
        initialized = true;
    }

    public async Task<IReadOnlySet<string>> AppendAsync(string persistenceId, IReadOnlyList<JournalRow> rows, CancellationToken cancellationToken = default)
    {
        SinkStoreArguments.CheckBatch(persistenceId, rows);
        ThrowIfNotReady();
        if (rows.Count == 0) return new HashSet<string>(StringComparer.Ordinal);
        try
        {
            return await JournalAppend.AppendAsync(database, persistenceId, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw database.Failure("append", persistenceId, ex);
        }
    }

    public Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return ScalarAsync("highest sequence number", persistenceId,
            $"SELECT COALESCE(MAX(sequence_nr), 0) FROM {database.Journal} WHERE persistence_id = $1", cancellationToken);
    }

    public IAsyncEnumerable<JournalRow> ReplayAsync(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt, CancellationToken cancellationToken = default)
    {
        // Checked here, not in the iterator, so a bad call fails where it is made rather than at the first MoveNext.
        SinkStoreArguments.CheckReplay(persistenceId, afterSequenceNr, onCorrupt);
        ThrowIfNotReady();
        return Replay(persistenceId, afterSequenceNr, onCorrupt, cancellationToken);
    }

    public Task<long> SnapshotSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(persistenceId);
        return ScalarAsync("snapshot sequence number", persistenceId,
            $"SELECT COALESCE(MAX(covers_sequence_nr), 0) FROM {database.Snapshots} WHERE persistence_id = $1", cancellationToken);
    }

    public async Task<IReadOnlyList<AggregateRow>> LoadAggregatesAsync(string persistenceId, IReadOnlyCollection<AggregateKey> keys, CancellationToken cancellationToken = default)
    {
        SinkStoreArguments.CheckKeys(persistenceId, keys);
        ThrowIfNotReady();
        if (keys.Count == 0) return [];
        try
        {
            return await AggregateTable.LoadAsync(database, persistenceId, keys, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw database.Failure("load aggregates", persistenceId, ex);
        }
    }

    public async Task SaveAggregatesAsync(string persistenceId, long coversSequenceNr, IReadOnlyCollection<AggregateRow> rows, CancellationToken cancellationToken = default)
    {
        SinkStoreArguments.CheckAggregates(persistenceId, coversSequenceNr, rows);
        ThrowIfNotReady();
        try
        {
            await AggregateTable.SaveAsync(database, persistenceId, coversSequenceNr, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw database.Failure("save aggregates", persistenceId, ex);
        }
    }

    public async Task<ClosedEntry?> GetEntryAsync(string entryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entryId);
        ThrowIfNotReady();
        JournalReads.StoredRow? row;
        try
        {
            row = await JournalReads.EntryAsync(database, entryId, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw database.Failure($"get entry {entryId}", null, ex);
        }
        return row is { } found ? Trusted(found) : null;
    }

    public async Task<EntryPage> GetEntriesAsync(EntryQuery query, CancellationToken cancellationToken = default)
    {
        SinkStoreArguments.CheckEntryQuery(query, MaxPageSize);
        var after = query.After is null ? (EntryCursor?)null : EntryCursor.Decode(query.After, nameof(query));
        ThrowIfNotReady();
        List<JournalReads.StoredRow> rows;
        try
        {
            // One row more than asked says whether another page exists without a second query.
            rows = await JournalReads.EntriesAsync(database, query.Operation, query.From, query.To, after, query.Limit + 1, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw database.Failure($"get entries of {query.Operation}", null, ex);
        }
        var more = rows.Count > query.Limit;
        if (more) rows.RemoveAt(rows.Count - 1);
        var entries = rows.ConvertAll(Trusted);
        return new EntryPage(entries, more ? new EntryCursor(rows[^1].ClosedAtUtc, rows[^1].EntryId).Encode() : null);
    }

    public async Task<IReadOnlyList<AggregateRow>> GetAggregatesAsync(string operation, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ThrowIfNotReady();
        try
        {
            return await AggregateTable.QueryAsync(database, operation, from, to, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw database.Failure($"get aggregates of {operation}", null, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await database.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) == 1, this);

    private void ThrowIfNotReady()
    {
        ThrowIfDisposed();
        if (!initialized) throw new InvalidOperationException("The PostgreSQL store is not initialized: call InitializeAsync first.");
    }

    /// <summary>
    /// Pages through the journal by sequence number rather than holding a cursor open: each page is read on a pooled
    /// connection that is returned before any row is handed out, so recovery of a long journal uses bounded memory and
    /// no connection while the shard folds. Sequence numbers only grow, so paging never skips or repeats a row.
    /// </summary>
    private async IAsyncEnumerable<JournalRow> Replay(string persistenceId, long afterSequenceNr, Action<CorruptRow> onCorrupt,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = afterSequenceNr;
        while (true)
        {
            List<JournalReads.StoredRow> page;
            try
            {
                page = await JournalReads.ReplayPageAsync(database, persistenceId, after, ReplayPageSize, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                throw database.Failure("replay", persistenceId, ex);
            }
            foreach (var row in page)
            {
                var entry = JournalReads.TryReadEntry(row, out var reason);
                if (entry is not null) yield return new JournalRow(row.SequenceNr, entry);
                else onCorrupt(new CorruptRow(persistenceId, row.SequenceNr, database.JournalLocation(persistenceId, row.SequenceNr), reason!));
            }
            if (page.Count < ReplayPageSize) yield break;
            after = page[^1].SequenceNr;
        }
    }

    /// <summary>A queried entry; a query has nobody to report to, so a corrupt row fails it with its location.</summary>
    private ClosedEntry Trusted(JournalReads.StoredRow row) =>
        JournalReads.TryReadEntry(row, out var reason)
        ?? throw new InvalidDataException($"{database.JournalLocation(row.PersistenceId, row.SequenceNr)}: {reason}");

    private async Task<long> ScalarAsync(string operation, string persistenceId, string sql, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        try
        {
            await using var command = database.DataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = persistenceId });
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (NpgsqlException ex)
        {
            throw database.Failure(operation, persistenceId, ex);
        }
    }
}
