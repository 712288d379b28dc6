using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// Entries persisted so far: <c>count(*)</c> of the journal the processes write, polled on a connection of its own
/// every <see cref="Interval"/> (the count lags the truth by at most that plus the query). Failed polls (the table is
/// not created yet, a lock) keep the last count.
/// </summary>
internal sealed class JournalCounter : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly Func<DbConnection> connect;
    private readonly string query;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long count;

    private JournalCounter(Func<DbConnection> connect, string query)
    {
        (this.connect, this.query) = (connect, query);
        loop = Task.Run(PollAsync);
    }

    public long Count => Interlocked.Read(ref count);

    /// <summary>The longest a single count took, to judge how stale <see cref="Count"/> can be.</summary>
    public TimeSpan SlowestPoll { get; private set; }

    public static JournalCounter Postgres(string connectionString, string schema) =>
        new(() => new NpgsqlConnection(connectionString), $"SELECT count(*) FROM \"{schema}\".journal");

    public static JournalCounter Sqlite(string file) =>
        new(() => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString()),
            "SELECT count(*) FROM journal");

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try { await loop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        stop.Dispose();
    }

    private async Task PollAsync()
    {
        DbConnection? connection = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (connection is null)
                    {
                        connection = connect();
                        await connection.OpenAsync(stop.Token).ConfigureAwait(false);
                    }
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await using var command = connection.CreateCommand();
                    command.CommandText = query;
                    var value = Convert.ToInt64(await command.ExecuteScalarAsync(stop.Token).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                    Interlocked.Exchange(ref count, value);
                    var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                    if (took > SlowestPoll) SlowestPoll = took;
                }
                catch (DbException)
                {
                    if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
                await Task.Delay(Interval, stop.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
