using Aggregator.Actors.Persistence;
using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Actors.Sinks;
using Npgsql;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// <see cref="ISinkFixture"/> over the real PostgreSQL ./scripts/test.sh starts (AGGREGATOR_TEST_POSTGRES): a schema of
/// its own (<c>t_&lt;guid&gt;</c>, dropped on dispose) so test classes running at once never see each other's rows, and
/// one "process life" at a time over it. Every session of the store is tagged with <see cref="ApplicationName"/>, so a
/// test can find the shard's sessions in <c>pg_stat_activity</c> (a write waiting on a lock, a session to kill).
/// </summary>
internal sealed class PostgresSinkFixture : ISinkFixture
{
    public const string EnvironmentVariable = "AGGREGATOR_TEST_POSTGRES";

    public string Schema { get; } = $"t_{Guid.NewGuid():N}";

    public string ApplicationName { get; } = $"agg-sink-{Guid.NewGuid():N}"[..30];

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) ?? throw new InvalidOperationException($"{EnvironmentVariable} is not set");

    /// <summary>
    /// A new actor system, store and sink region over the fixture's schema. A short connect timeout, so a stopped
    /// server fails calls at once rather than after Npgsql's default 15 s.
    /// </summary>
    /// <param name="settings">The sink region's settings.</param>
    /// <param name="wrap">Puts something between the shards and the store (a fault), if given; queries read the store.</param>
    public Task<SinkLife> StartAsync(SinkSettings settings, Func<ISinkStore, ISinkStore>? wrap = null)
    {
        var connection = new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = ApplicationName, Timeout = 3 }.ConnectionString;
        var store = new PostgresSinkStore(connection, Schema);
        return SinkLife.StartAsync(store, settings, wrap?.Invoke(store));
    }

    Task<SinkLife> ISinkFixture.StartAsync(SinkSettings settings) => StartAsync(settings);

    Task<SinkLife> ISinkFixture.StartAsync(SinkSettings settings, Func<ISinkStore, ISinkStore> wrap) => StartAsync(settings, wrap);

    /// <summary>Valid jsonb, but not an object of strings: the store cannot read the row's dimensions.</summary>
    public Task<int> DamageAggregateDimensionsAsync(DateTimeOffset windowStart) =>
        ExecuteCountAsync($"UPDATE \"{Schema}\".aggregates SET dimensions = '{{\"region\": 1}}'::jsonb WHERE window_start = $1", windowStart);

    public Task<int> DamageAggregateStateAsync(DateTimeOffset windowStart) =>
        ExecuteCountAsync($"UPDATE \"{Schema}\".aggregates SET state = '\\xff00'::bytea WHERE window_start = $1", windowStart);

    public Task DamageEntryAsync(string entryId) =>
        ExecuteAsync($"UPDATE \"{Schema}\".journal SET entry = decode('deadbeef', 'hex'), payload = NULL WHERE entry_id = $1", entryId);

    private async Task<int> ExecuteCountAsync(string sql, DateTimeOffset at)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        return await command.ExecuteNonQueryAsync();
    }

    public Task<long> JournalRowsAsync() => ScalarAsync<long>($"SELECT count(*) FROM \"{Schema}\".journal");

    /// <summary>The journal of one shard in sequence order: (sequence number, entry id).</summary>
    public async Task<List<(long SequenceNr, string EntryId)>> JournalAsync(string persistenceId)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT sequence_nr, entry_id FROM \"{Schema}\".journal WHERE persistence_id = $1 ORDER BY sequence_nr");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = persistenceId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetString(1)));
        return rows;
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Ends every session of this fixture's stores, as the death of their process would: the server rolls back what
    /// they had in flight. Returns once none is left (at most 30 s).
    /// </summary>
    public async Task KillSessionsAsync()
    {
        await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", ApplicationName);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", ApplicationName) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the store's sessions did not end within 30 s");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
}
