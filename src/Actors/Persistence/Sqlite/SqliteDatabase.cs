using Microsoft.Data.Sqlite;

namespace Aggregator.Actors.Persistence.Sqlite;

/// <summary>
/// One SQLite file and how every connection to it is opened: the same pragmas on each, so a reader or writer never
/// runs with defaults that would make it fail fast on a lock or sync more than needed. Also names places in the file
/// the way operators see them in corrupt-row reports and errors.
/// </summary>
internal sealed class SqliteDatabase
{
    private static readonly object NativeInitLock = new();
    private static bool nativeInitialized;

    public SqliteDatabase(string filePath, TimeSpan busyTimeout, SqliteSynchronous synchronous = SqliteSynchronous.Normal)
    {
        if (!Enum.IsDefined(synchronous)) throw new ArgumentOutOfRangeException(nameof(synchronous), synchronous, "Not a synchronous level.");
        Synchronous = synchronous;
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        if (busyTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(busyTimeout), busyTimeout, "The busy timeout must be positive.");
        FilePath = Path.GetFullPath(filePath);
        BusyTimeout = busyTimeout;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY itself up to the command timeout; keep it in step with busy_timeout.
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();
    }

    public string FilePath { get; }

    public TimeSpan BusyTimeout { get; }

    public SqliteSynchronous Synchronous { get; }

    public string ConnectionString { get; }

    /// <summary>
    /// SQLitePCLRaw needs its provider chosen once per process before the first connection; Microsoft.Data.Sqlite.Core
    /// (unlike the full package) does not do it for us.
    /// </summary>
    public static void EnsureNativeLibrary()
    {
        lock (NativeInitLock)
        {
            if (nativeInitialized) return;
            SQLitePCL.Batteries_V2.Init();
            nativeInitialized = true;
        }
    }

    /// <summary>
    /// Opens a connection (from the pool unless <paramref name="pooled"/> is false) with the per-connection pragmas set:
    /// busy_timeout so a writer waits for the lock instead of failing, synchronous as configured (NORMAL unless FULL was
    /// asked for; see docs/persistence.md for the durability trade-off). WAL itself is a property of the file, set once by <see cref="SqliteSinkStore.InitializeAsync"/>.
    /// </summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool pooled = true)
    {
        EnsureNativeLibrary();
        var connectionString = pooled ? ConnectionString : new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = $"PRAGMA busy_timeout = {(long)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")};";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the pooled idle connections to this file, so its handles are released when the store is disposed.</summary>
    public void ReleasePooledConnections()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Where a journal row lives, as an operator would look for it: <c>sqlite:&lt;file&gt;#journal(persistence_id=sink-3,sequence_nr=42)</c>.</summary>
    public string JournalLocation(string persistenceId, long sequenceNr) =>
        $"sqlite:{FilePath}#journal(persistence_id={persistenceId},sequence_nr={sequenceNr})";

    /// <summary>
    /// A driver failure with what the store was doing, for which shard and on which file, so the log line alone says
    /// where to look; the driver's exception stays inside.
    /// </summary>
    public SqliteSinkStoreException Failure(string operation, string? persistenceId, SqliteException inner)
    {
        var subject = persistenceId is null ? "" : $" for {persistenceId}";
        return new SqliteSinkStoreException($"sqlite store: {operation}{subject} failed on {FilePath}: {inner.Message}", inner);
    }
}
