namespace Aggregator.Actors.Persistence.Sqlite;

/// <summary>
/// How hard a SQLite commit waits for the disk (<c>PRAGMA synchronous</c>, always in WAL mode). See docs/persistence.md.
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// The default. A commit appends to the WAL without an fsync; the WAL is synced at checkpoints. A process crash
    /// loses nothing committed; a power loss or OS crash can roll back the transactions since the last checkpoint
    /// (never corrupting the file, and always to a consistent prefix of commits).
    /// </summary>
    Normal,

    /// <summary>Every commit fsyncs the WAL: committed is on disk even after a power loss, at milliseconds per commit.</summary>
    Full,
}
