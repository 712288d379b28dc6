using System.Data.Common;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Persistence.Sqlite;
using Aggregator.Contracts;
using Microsoft.Data.Sqlite;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// SQLite in a temp directory under /tmp, deleted afterwards: one file per sink store, and a separate file for the
/// baseline opened the way the store opens its own (WAL, synchronous=NORMAL, a busy timeout) with the journal's
/// exact table and index.
/// </summary>
internal sealed class SqliteTarget : IPersistTarget
{
    /// <summary>The store's journal table and index (src/Actors/Persistence/Sqlite/SqliteSchema.cs, migration 1).</summary>
    internal const string JournalTable = """
        CREATE TABLE journal (
            persistence_id TEXT    NOT NULL,
            sequence_nr    INTEGER NOT NULL,
            entry_id       TEXT    NOT NULL UNIQUE,
            operation      TEXT    NOT NULL,
            closed_at      INTEGER NOT NULL,
            payload        TEXT    NOT NULL,
            PRIMARY KEY (persistence_id, sequence_nr)
        );
        CREATE INDEX journal_by_operation_time ON journal (operation, closed_at, entry_id);
        """;

    private readonly string directory = Directory.CreateTempSubdirectory("aggregator-bench-persist-").FullName;

    public string Name => "sqlite";

    public string Where => directory;

    public async Task<ISinkStore> CreateStoreAsync(string label)
    {
        var store = new SqliteSinkStore(Path.Combine(directory, label + ".db"));
        await store.InitializeAsync().ConfigureAwait(false);
        return store;
    }

    public async Task<long> CountJournalAsync(string label)
    {
        await using var connection = Open(Path.Combine(directory, label + ".db"));
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM journal";
        return (long)count.ExecuteScalar()!;
    }

    public Task<ISingleRowInsertTable> CreateBaselineAsync()
    {
        var path = Path.Combine(directory, "baseline-single-row.db");
        using (var connection = Open(path))
        {
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
            using var create = connection.CreateCommand();
            create.CommandText = JournalTable;
            create.ExecuteNonQuery();
        }
        return Task.FromResult<ISingleRowInsertTable>(new Table(path));
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException exception)
        {
            Console.WriteLine($"(could not delete {directory}: {exception.Message})");
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>A private connection with the store's per-connection settings.</summary>
    internal static SqliteConnection Open(string path)
    {
        SQLitePCL.Batteries_V2.Init();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 10 }.ToString());
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    private sealed class Table(string path) : ISingleRowInsertTable
    {
        public string Describe => "one INSERT … ON CONFLICT (entry_id) DO NOTHING per entry, auto-commit, prepared, one connection per thread (WAL, synchronous=NORMAL, busy_timeout 10 s)";

        public ISingleRowWriter OpenWriter(int producer) => new Writer(Open(path), producer);

        public Task<long> CountAsync()
        {
            using var connection = Open(path);
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM journal";
            return Task.FromResult((long)count.ExecuteScalar()!);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Writer : PreparedRowWriter
    {
        private readonly SqliteCommand insert;
        private readonly SqliteParameter sequenceNr, entryId, operation, closedAt, payload;

        public Writer(SqliteConnection connection, int producer) : base(connection)
        {
            insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO journal (persistence_id, sequence_nr, entry_id, operation, closed_at, payload)
                VALUES ($pid, $seq, $id, $op, $closed, $payload)
                ON CONFLICT (entry_id) DO NOTHING
                """;
            insert.Parameters.AddWithValue("$pid", $"baseline-{producer}-{Guid.NewGuid():N}");
            sequenceNr = insert.Parameters.Add("$seq", SqliteType.Integer);
            entryId = insert.Parameters.Add("$id", SqliteType.Text);
            operation = insert.Parameters.Add("$op", SqliteType.Text);
            closedAt = insert.Parameters.Add("$closed", SqliteType.Integer);
            payload = insert.Parameters.Add("$payload", SqliteType.Text);
            insert.Prepare();
        }

        protected override DbCommand Command => insert;

        protected override void Bind(long sequenceNr, ClosedEntry entry, string payload)
        {
            this.sequenceNr.Value = sequenceNr;
            entryId.Value = entry.Id;
            operation.Value = entry.Operation;
            closedAt.Value = entry.ClosedAt.UtcTicks;
            this.payload.Value = payload;
        }
    }
}
