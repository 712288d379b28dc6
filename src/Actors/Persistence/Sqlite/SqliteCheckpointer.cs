using Microsoft.Data.Sqlite;

namespace Aggregator.Actors.Persistence.Sqlite;

/// <summary>
/// Checkpoints the WAL on a connection and thread of its own, so the writer does not. Left to SQLite, the connection
/// whose commit takes the WAL past <c>wal_autocheckpoint</c> pages runs the checkpoint inside that commit: it copies
/// the WAL's pages into the database file and syncs both (under synchronous=NORMAL, the only syncs there are), while
/// every shard waits for the write gate. Here the writer only nudges after each commit; at most every
/// <see cref="Interval"/> this loop runs a PASSIVE checkpoint, which never blocks the writer or readers and copies what
/// it can. The writer keeps a much higher <c>wal_autocheckpoint</c> (<see cref="WriterBackstopPages"/>) as a
/// backstop, so the WAL stays bounded even if this loop falls behind or fails.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>How often at most a checkpoint runs while writes keep coming.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>The writer's own <c>wal_autocheckpoint</c> (pages): 16,384 pages of 4 KiB, 64 MiB of WAL.</summary>
    public const int WriterBackstopPages = 16_384;

    private readonly SqliteDatabase database;
    private readonly SemaphoreSlim signal = new(0, 1);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long checkpoints, failures;

    public SqliteCheckpointer(SqliteDatabase database)
    {
        this.database = database;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints run so far (for tests and diagnostics).</summary>
    public long Checkpoints => Interlocked.Read(ref checkpoints);

    /// <summary>Checkpoints that failed (the writer's backstop covers them; the next nudge tries again).</summary>
    public long Failures => Interlocked.Read(ref failures);

    /// <summary>Called after each commit: a checkpoint is due (runs at most every <see cref="Interval"/>).</summary>
    public void Nudge()
    {
        if (signal.CurrentCount > 0) return;
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another nudge got there first; one pending checkpoint is enough.
        }
    }

    private async Task RunAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await signal.WaitAsync(stop.Token).ConfigureAwait(false);
                try
                {
                    connection ??= await database.OpenAsync(stop.Token, pooled: false).ConfigureAwait(false);
                    using var checkpoint = connection.CreateCommand();
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    checkpoint.ExecuteNonQuery();
                    Interlocked.Increment(ref checkpoints);
                }
                catch (SqliteException)
                {
                    Interlocked.Increment(ref failures);
                    if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
                await Task.Delay(Interval, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
        signal.Dispose();
    }
}
