using Aggregator.Actors.Persistence;
using Aggregator.Actors.Persistence.Sqlite;
using Aggregator.Contracts.Json;
using Microsoft.Data.Sqlite;

namespace Aggregator.Actors.Tests.Persistence;

/// <summary>
/// The store contract against a real SQLite file in a temporary directory of its own (one per test), plus what only
/// the SQLite store promises: WAL, its schema version, its corrupt-row location format and its error wrapping.
/// </summary>
public sealed class SqliteSinkStoreTests : SinkStoreContractTests
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "aggregator-sqlite-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(directory, "aggregator.db");

    protected override Task<ISinkStore> CreateStoreAsync() => Task.FromResult<ISinkStore>(new SqliteSinkStore(DatabasePath));

    protected override Task<ISinkStore> ReopenStoreAsync() => Task.FromResult<ISinkStore>(new SqliteSinkStore(DatabasePath));

    protected override async Task CorruptPayloadAsync(string persistenceId, long sequenceNr)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE journal SET payload = '{\"id\": 12, not json' WHERE persistence_id = $pid AND sequence_nr = $seq";
        command.Parameters.AddWithValue("$pid", persistenceId);
        command.Parameters.AddWithValue("$seq", sequenceNr);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task The_file_is_created_under_a_missing_directory_in_wal_mode_at_schema_version_2()
    {
        Assert.True(File.Exists(DatabasePath));
        await using var connection = await OpenRawAsync();
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal(2L, await ScalarAsync(connection, "SELECT version FROM schema_version"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public async Task A_file_from_a_newer_build_is_refused()
    {
        await using (var connection = await OpenRawAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_version SET version = 99";
            await command.ExecuteNonQueryAsync();
        }

        await using var newer = new SqliteSinkStore(DatabasePath);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync());
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_row_location_names_the_file_table_and_key()
    {
        await Store.AppendAsync("sink-3", Rows(40, "a", 3));
        await CorruptPayloadAsync("sink-3", 42);
        var corrupt = new List<CorruptRow>();

        await foreach (var _ in Store.ReplayAsync("sink-3", 0, corrupt.Add)) { }

        var report = Assert.Single(corrupt);
        Assert.Equal($"sqlite:{Path.GetFullPath(DatabasePath)}#journal(persistence_id=sink-3,sequence_nr=42)", report.Location);
        Assert.Contains("not a closed entry", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_failure_names_the_operation_and_persistence_id_and_keeps_the_driver_exception()
    {
        await Store.AppendAsync("sink-4", Rows(1, "a", 1));

        var error = await Assert.ThrowsAsync<SqliteSinkStoreException>(() => Store.AppendAsync("sink-4", [new(1, Entry("clash", "checkout", DateTimeOffset.UnixEpoch))]));

        Assert.Contains("append for sink-4", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task A_query_with_a_cursor_it_did_not_hand_out_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.GetEntriesAsync(new EntryQuery("checkout", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, After: "not a cursor!")));
    }

    [Fact]
    public async Task Two_store_instances_on_one_file_write_in_turn()
    {
        await using var second = await ReopenStoreAsync();
        await second.InitializeAsync();

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 20; i++) await Store.AppendAsync("sink-0", Rows(i * 10 + 1, "x", 10)); }),
            Task.Run(async () => { for (var i = 0; i < 20; i++) await second.AppendAsync("sink-1", Rows(i * 10 + 1, "y", 10)); }));

        Assert.Equal(200, await Store.HighestSequenceNrAsync("sink-1"));
        Assert.Equal(200, await second.HighestSequenceNrAsync("sink-0"));
    }

    [Theory]
    [InlineData(SqliteSynchronous.Normal, 1L)]
    [InlineData(SqliteSynchronous.Full, 2L)]
    public async Task Every_connection_uses_the_configured_synchronous_level(SqliteSynchronous synchronous, long pragmaValue)
    {
        var path = Path.Combine(directory, $"sync-{synchronous}.db");
        await using var store = new SqliteSinkStore(path, synchronous: synchronous);
        await store.InitializeAsync();
        Assert.Equal(synchronous, store.Synchronous);
        Assert.Empty(await store.AppendAsync("sink-0", Rows(1, "a", 3)));

        var database = new SqliteDatabase(path, SqliteSinkStore.DefaultBusyTimeout, synchronous);
        await using var connection = await database.OpenAsync(CancellationToken.None, pooled: false);
        Assert.Equal(pragmaValue, await ScalarAsync(connection, "PRAGMA synchronous"));
        Assert.Equal(3L, await ScalarAsync(connection, "SELECT COUNT(*) FROM journal"));
    }

    [Fact]
    public async Task The_wal_is_checkpointed_off_the_write_path_and_stays_bounded()
    {
        for (var batch = 0; batch < 40; batch++)
        {
            Assert.Empty(await Store.AppendAsync("sink-0", Rows(batch * 500 + 1, "w", 500)));
        }
        await Task.Delay(SqliteCheckpointer.Interval * 3);
        await Store.AppendAsync("sink-0", Rows(20_001, "w", 1));
        await Task.Delay(SqliteCheckpointer.Interval * 3);

        await using var connection = await OpenRawAsync();
        // The checkpointer has copied the WAL into the file: the file holds the rows without reading the WAL, and the
        // WAL is far below the writer's backstop.
        Assert.Equal(20_001L, await ScalarAsync(connection, "SELECT COUNT(*) FROM journal"));
        Assert.True(new FileInfo(DatabasePath).Length > 1_000_000, $"database file {new FileInfo(DatabasePath).Length} bytes");
        Assert.True(new FileInfo(DatabasePath + "-wal").Length < SqliteCheckpointer.WriterBackstopPages * 4096L);
    }

    [Fact]
    public async Task A_version_1_file_with_json_payloads_is_migrated_and_reads_both_formats()
    {
        var closedAt = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        var old = Entry("old-1", "checkout", closedAt);
        var path = Path.Combine(directory, "v1.db");
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            SqliteSchema.Migrate(connection, targetVersion: 1);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO journal VALUES ('sink-0', 1, 'old-1', 'checkout', $closed, $payload)";
            insert.Parameters.AddWithValue("$closed", closedAt.UtcTicks);
            insert.Parameters.AddWithValue("$payload", ContractsJson.Serialize(old));
            await insert.ExecuteNonQueryAsync();
        }

        await using var store = new SqliteSinkStore(path);
        await store.InitializeAsync();
        Assert.Empty(await store.AppendAsync("sink-0", [new(2, Entry("new-2", "checkout", closedAt.AddSeconds(1)))]));
        Assert.Equal(["old-1"], await store.AppendAsync("sink-1", [new(1, old)]));

        var replayed = new List<JournalRow>();
        await foreach (var row in store.ReplayAsync("sink-0", 0, corrupt => Assert.Fail(corrupt.Reason))) replayed.Add(row);
        Assert.Equal(["old-1", "new-2"], replayed.Select(row => row.Entry.Id));
        Assert.Equal(ContractsJson.Serialize(old), ContractsJson.Serialize(replayed[0].Entry));
        var page = await store.GetEntriesAsync(new EntryQuery("checkout", closedAt, closedAt.AddMinutes(1)));
        Assert.Equal(["old-1", "new-2"], page.Entries.Select(entry => entry.Id));
        await using var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await check.OpenAsync();
        Assert.Equal(2L, await ScalarAsync(check, "SELECT version FROM schema_version"));
        Assert.Equal("text,blob", await ScalarAsync(check, "SELECT group_concat(typeof(payload)) FROM (SELECT payload FROM journal ORDER BY sequence_nr)"));
    }

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
