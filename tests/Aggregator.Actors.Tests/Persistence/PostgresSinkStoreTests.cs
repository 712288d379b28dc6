using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aggregator.Actors.Persistence;
using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Contracts;
using Npgsql;

namespace Aggregator.Actors.Tests.Persistence;

/// <summary>
/// The store contract against the real PostgreSQL that ./scripts/test.sh starts on 127.0.0.1 (connection string in
/// AGGREGATOR_TEST_POSTGRES), each test in a schema of its own (<c>t_&lt;guid&gt;</c>, dropped afterwards), plus what
/// only the PostgreSQL store promises: batches through COPY, concurrent initialization, its schema version, its
/// corrupt-row location format and its error wrapping.
/// Without the variable every test here is reported as skipped with the reason, not failed. xunit 2.9 has no dynamic
/// skip (no Assert.Skip, and Xunit.SkippableFact is not on the feed), so the inherited contract tests are declared
/// [StoreFact]/[StoreTheory] in the base class and skip themselves at discovery when this class's
/// [RequiresService] variable is missing; the tests declared here use [ServiceFact] directly.
/// </summary>
[RequiresService(EnvironmentVariable)]
public sealed class PostgresSinkStoreTests : SinkStoreContractTests
{
    private const string EnvironmentVariable = "AGGREGATOR_TEST_POSTGRES";

    private readonly string schema = $"t_{Guid.NewGuid():N}";

    private static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) ?? throw new InvalidOperationException($"{EnvironmentVariable} is not set");

    protected override Task<ISinkStore> CreateStoreAsync() => Task.FromResult<ISinkStore>(new PostgresSinkStore(ConnectionString, schema));

    protected override Task<ISinkStore> ReopenStoreAsync() => Task.FromResult<ISinkStore>(new PostgresSinkStore(ConnectionString, schema));

    protected override async Task CorruptPayloadAsync(string persistenceId, long sequenceNr)
    {
        var updated = await ExecuteAsync(
            $"UPDATE \"{schema}\".journal SET payload = '{{\"id\": 12, not json', entry = NULL WHERE persistence_id = $1 AND sequence_nr = $2", persistenceId, sequenceNr);
        Assert.Equal(1, updated);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task A_batch_of_20000_entries_goes_in_with_one_call_and_again_is_skipped_whole()
    {
        var rows = Rows(1, "big", 20_000);

        var clock = Stopwatch.StartNew();
        var skipped = await Store.AppendAsync("sink-0", rows);
        var first = clock.Elapsed;

        Assert.Empty(skipped);
        Assert.Equal(20_000, await Store.HighestSequenceNrAsync("sink-0"));
        Assert.Equal(20_000L, await ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".journal"));
        var replayed = new List<long>();
        await foreach (var row in Store.ReplayAsync("sink-0", 0, corrupt => Assert.Fail(corrupt.Reason))) replayed.Add(row.SequenceNr);
        Assert.Equal(Enumerable.Range(1, 20_000).Select(i => (long)i), replayed);

        // Redelivered whole under new sequence numbers, plus one new entry: only the new one is written.
        var again = rows.Select(row => row with { SequenceNr = row.SequenceNr + 20_000 }).Append(new JournalRow(40_001, Entry("fresh", "checkout", DateTimeOffset.UnixEpoch))).ToList();
        var skippedAgain = await Store.AppendAsync("sink-0", again);

        Assert.Equal(20_000, skippedAgain.Count);
        Assert.DoesNotContain("fresh", skippedAgain);
        Assert.Equal(40_001, await Store.HighestSequenceNrAsync("sink-0"));
        Assert.Equal(20_001L, await ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".journal"));
        Assert.True(first < TimeSpan.FromSeconds(30), $"20,000 entries took {first}");
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task Stores_initializing_the_same_new_schema_at_once_all_succeed_and_migrate_it_once()
    {
        var fresh = $"t_{Guid.NewGuid():N}";
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresSinkStore(ConnectionString, fresh)).ToList();
        try
        {
            using var start = new ManualResetEventSlim();
            var initializations = stores.Select(store => Task.Run(async () =>
            {
                start.Wait();
                await store.InitializeAsync();
            })).ToList();
            start.Set();
            await Task.WhenAll(initializations);

            Assert.Equal(2L, await ScalarAsync<long>($"SELECT count(*) FROM \"{fresh}\".schema_version"));
            Assert.Equal(2, await ScalarAsync<int>($"SELECT max(version) FROM \"{fresh}\".schema_version"));
            Assert.Empty(await stores[1].AppendAsync("sink-0", Rows(1, "a", 2)));
            Assert.Equal(2, await stores[3].HighestSequenceNrAsync("sink-0"));
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{fresh}\" CASCADE");
        }
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task The_schema_holds_the_tables_at_version_2_and_a_newer_version_is_refused()
    {
        Assert.Equal("postgres", Store.Name);
        Assert.Equal(2, await ScalarAsync<int>($"SELECT max(version) FROM \"{schema}\".schema_version"));
        var tables = await ScalarAsync<string[]>(
            "SELECT array_agg(table_name::text ORDER BY table_name) FROM information_schema.tables WHERE table_schema = $1", schema);
        Assert.Equal(["aggregates", "journal", "schema_version", "snapshots"], tables);

        await ExecuteAsync($"INSERT INTO \"{schema}\".schema_version (version) VALUES (99)");
        await using var newer = new PostgresSinkStore(ConnectionString, schema);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync());
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task A_version_1_schema_with_json_payloads_is_migrated_and_reads_both_formats()
    {
        var old = $"t_{Guid.NewGuid():N}";
        var closedAt = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        var entry = Entry("old-1", "checkout", closedAt);
        try
        {
            await using (var dataSource = NpgsqlDataSource.Create(ConnectionString))
            await using (var connection = await dataSource.OpenConnectionAsync())
            await using (var db = new PostgresDatabase(ConnectionString, old))
            {
                await PostgresSchema.MigrateAsync(db, connection, targetVersion: 1, CancellationToken.None);
            }
            Assert.Equal(1, await ScalarAsync<int>($"SELECT max(version) FROM \"{old}\".schema_version"));
            await ExecuteAsync($"INSERT INTO \"{old}\".journal VALUES ('sink-0', 1, 'old-1', 'checkout', $1, $2)",
                closedAt.UtcDateTime, Aggregator.Contracts.Json.ContractsJson.Serialize(entry));

            await using var store = new PostgresSinkStore(ConnectionString, old);
            await store.InitializeAsync();
            Assert.Empty(await store.AppendAsync("sink-0", [new(2, Entry("new-2", "checkout", closedAt.AddSeconds(1)))]));
            Assert.Equal(["old-1"], await store.AppendAsync("sink-1", [new(1, entry)]));

            var replayed = new List<JournalRow>();
            await foreach (var row in store.ReplayAsync("sink-0", 0, corrupt => Assert.Fail(corrupt.Reason))) replayed.Add(row);
            Assert.Equal(["old-1", "new-2"], replayed.Select(row => row.Entry.Id));
            Assert.Equal(Aggregator.Contracts.Json.ContractsJson.Serialize(entry), Aggregator.Contracts.Json.ContractsJson.Serialize(replayed[0].Entry));
            var page = await store.GetEntriesAsync(new EntryQuery("checkout", closedAt, closedAt.AddMinutes(1)));
            Assert.Equal(["old-1", "new-2"], page.Entries.Select(e => e.Id));
            Assert.Equal(2, await ScalarAsync<int>($"SELECT max(version) FROM \"{old}\".schema_version"));
        }
        finally
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{old}\" CASCADE");
        }
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task A_corrupt_row_is_located_by_schema_persistence_id_and_sequence_number()
    {
        await Store.AppendAsync("sink-3", Rows(1, "a", 42));
        await CorruptPayloadAsync("sink-3", 42);
        var corrupt = new List<CorruptRow>();

        await foreach (var _ in Store.ReplayAsync("sink-3", 40, corrupt.Add)) { }

        Assert.Equal($"postgres:{schema}.journal(persistence_id=sink-3,sequence_nr=42)", Assert.Single(corrupt).Location);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.GetEntryAsync("a-42"));
        Assert.Contains($"postgres:{schema}.journal(persistence_id=sink-3,sequence_nr=42)", error.Message, StringComparison.Ordinal);
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task Replay_pages_through_a_journal_longer_than_one_page_without_gaps()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 2_500));

        var replayed = new List<long>();
        await foreach (var row in Store.ReplayAsync("sink-0", 700, corrupt => Assert.Fail(corrupt.Reason))) replayed.Add(row.SequenceNr);

        Assert.Equal(Enumerable.Range(701, 1_800).Select(i => (long)i), replayed);
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task A_server_error_is_wrapped_with_the_operation_and_persistence_id_and_is_not_transient()
    {
        await Store.AppendAsync("sink-0", Rows(1, "a", 2));

        var error = await Assert.ThrowsAsync<PostgresSinkStoreException>(() => Store.AppendAsync("sink-0", [new(2, Entry("clash", "checkout", DateTimeOffset.UnixEpoch))]));

        Assert.Contains("append for sink-0", error.Message, StringComparison.Ordinal);
        Assert.Equal("23505", error.SqlState);
        Assert.False(error.IsTransient);
        Assert.IsType<PostgresException>(error.InnerException);
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task A_refused_connection_surfaces_as_a_transient_failure_the_caller_can_retry()
    {
        var unusedPort = UnusedLoopbackPort();
        var nowhere = new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = unusedPort, Timeout = 3 }.ConnectionString;
        await using var store = new PostgresSinkStore(nowhere, schema);

        var error = await Assert.ThrowsAsync<PostgresSinkStoreException>(() => store.InitializeAsync());

        Assert.True(error.IsTransient, error.ToString());
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
        Assert.Contains("initialize", error.Message, StringComparison.Ordinal);
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task A_session_ended_by_the_server_fails_one_call_as_transient_and_the_next_call_works()
    {
        var application = $"agg-test-{Guid.NewGuid():N}"[..30];
        var tagged = new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = application }.ConnectionString;
        await using var store = new PostgresSinkStore(tagged, schema);
        await store.InitializeAsync();
        await store.AppendAsync("sink-0", Rows(1, "a", 3));

        // What an administrator's pg_terminate_backend (or a server shutdown) does to the pooled session.
        await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", application);
        for (var waited = 0; await ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", application) > 0; waited++)
        {
            Assert.True(waited < 100, "the terminated session did not end within 5 s");
            await Task.Delay(50);
        }

        var error = await Assert.ThrowsAsync<PostgresSinkStoreException>(() => store.HighestSequenceNrAsync("sink-0"));
        Assert.True(error.IsTransient, error.ToString());
        Assert.Contains("sink-0", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, await store.HighestSequenceNrAsync("sink-0"));
        Assert.Empty(await store.AppendAsync("sink-0", Rows(4, "a", 1)));
    }

    // The append first COPYs a batch straight into the journal and falls back to the staging table when a row
    // collides. One pooled session only, so every fallback and the batch after it run on the session whose COPY
    // failed: a rolled-back COPY must leave it usable.
    [ServiceFact(EnvironmentVariable)]
    public async Task A_batch_with_a_repeat_and_a_redelivered_entry_falls_back_and_reports_exactly_those_ids()
    {
        var single = new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var store = new PostgresSinkStore(single, schema);
        await store.InitializeAsync();
        Assert.Empty(await store.AppendAsync("sink-0", Rows(1, "a", 3)));

        var at = DateTimeOffset.UnixEpoch;
        List<JournalRow> mixed =
        [
            new(4, Entry("new-1", "checkout", at)),
            new(5, Entry("a-2", "checkout", at)),   // redelivered: stored by the first batch
            new(6, Entry("new-2", "checkout", at)),
            new(7, Entry("new-1", "checkout", at)), // repeats row 4 of this batch
        ];
        var skipped = await store.AppendAsync("sink-0", mixed);

        Assert.Equal(new HashSet<string>(["a-2", "new-1"]), skipped.ToHashSet());
        Assert.Equal(5L, await ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".journal"));
        Assert.Equal(4L, await ScalarAsync<long>($"SELECT sequence_nr FROM \"{schema}\".journal WHERE entry_id = 'new-1'"));
        Assert.Equal(6L, await ScalarAsync<long>($"SELECT sequence_nr FROM \"{schema}\".journal WHERE entry_id = 'new-2'"));

        // The session is fine afterwards: the next clean batch goes in whole.
        Assert.Empty(await store.AppendAsync("sink-0", Rows(8, "b", 40)));
        Assert.Equal(47, await store.HighestSequenceNrAsync("sink-0"));
    }

    [ServiceFact(EnvironmentVariable)]
    public async Task A_different_entry_at_a_taken_sequence_number_fails_the_batch_on_both_paths_and_writes_none_of_it()
    {
        var single = new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var store = new PostgresSinkStore(single, schema);
        await store.InitializeAsync();
        await store.AppendAsync("sink-0", Rows(1, "a", 2));
        var at = DateTimeOffset.UnixEpoch;

        // New ids only, one at a taken sequence number: the COPY collides on the primary key, and so does the fallback.
        var error = await Assert.ThrowsAsync<PostgresSinkStoreException>(() => store.AppendAsync("sink-0",
            [new(3, Entry("fresh-1", "checkout", at)), new(2, Entry("fresh-2", "checkout", at))]));
        Assert.Equal("23505", error.SqlState);

        // A redelivered id as well: the fallback skips it but still fails on the taken sequence number.
        await Assert.ThrowsAsync<PostgresSinkStoreException>(() => store.AppendAsync("sink-0",
            [new(3, Entry("a-1", "checkout", at)), new(4, Entry("fresh-3", "checkout", at)), new(1, Entry("fresh-4", "checkout", at))]));

        Assert.Equal(2L, await ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".journal"));
        Assert.Empty(await store.AppendAsync("sink-0", Rows(3, "b", 2)));
        Assert.Equal(4, await store.HighestSequenceNrAsync("sink-0"));
    }

    [ServiceFact(EnvironmentVariable)]
    public void A_schema_name_that_is_not_a_plain_identifier_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PostgresSinkStore(ConnectionString, "Robert\"; DROP TABLE x; --"));
        Assert.Throws<ArgumentException>(() => new PostgresSinkStore(ConnectionString, ""));
    }

    private static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
