using Aggregator.Actors.Persistence.Sqlite;
using Aggregator.Actors.Sinks;
using Microsoft.Data.Sqlite;

namespace Aggregator.Actors.Tests.Sinks;

/// <summary>
/// A real SQLite file in a temp directory of its own, and sink lives over it one at a time: start, tell entries,
/// stop (cleanly or not), start again over the same file.
/// </summary>
internal sealed class SqliteSinkFixture : ISinkFixture
{
    private readonly string directory = Directory.CreateTempSubdirectory("aggregator-sinks-").FullName;

    public string DatabasePath => Path.Combine(directory, "aggregator.db");

    /// <summary>A new life over the fixture's file; a short <paramref name="busyTimeout"/> makes a locked file fail writes quickly.</summary>
    public Task<SinkLife> StartAsync(SinkSettings settings, TimeSpan? busyTimeout = null) =>
        SinkLife.StartAsync(new SqliteSinkStore(DatabasePath, busyTimeout), settings);

    Task<SinkLife> ISinkFixture.StartAsync(SinkSettings settings) => StartAsync(settings);

    public Task<SinkLife> StartAsync(SinkSettings settings, Func<Aggregator.Actors.Persistence.ISinkStore, Aggregator.Actors.Persistence.ISinkStore> wrap)
    {
        var store = new SqliteSinkStore(DatabasePath);
        return SinkLife.StartAsync(store, settings, wrap(store));
    }

    public Task<int> DamageAggregateDimensionsAsync(DateTimeOffset windowStart) =>
        ExecuteAsync("UPDATE aggregates SET dimensions = '{not json' WHERE window_start = $at", windowStart);

    public Task<int> DamageAggregateStateAsync(DateTimeOffset windowStart) =>
        ExecuteAsync("UPDATE aggregates SET state = x'ff00' WHERE window_start = $at", windowStart);

    public async Task DamageEntryAsync(string entryId)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE journal SET payload = 'not a closed entry' WHERE entry_id = $id";
        command.Parameters.AddWithValue("$id", entryId);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<int> ExecuteAsync(string sql, DateTimeOffset at)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$at", at.UtcTicks);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<long> JournalRowsAsync()
    {
        // Unpooled, so no connection of the test keeps the file open after it.
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM journal";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A store still closing; the temp directory is cleaned by the OS eventually.
        }
        return ValueTask.CompletedTask;
    }
}
