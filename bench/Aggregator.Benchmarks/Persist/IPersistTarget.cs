using Aggregator.Actors.Persistence;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// One database type under test: it hands out fresh, initialized sink stores (a new file or a new schema each, so
/// measurements never share a journal) and the single-row INSERT baseline on the same database type, and removes
/// everything it created when disposed.
/// </summary>
internal interface IPersistTarget : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres" (the RESULT line's name).</summary>
    string Name { get; }

    /// <summary>Where the data goes, for the header (a directory, a server and schema prefix).</summary>
    string Where { get; }

    /// <summary>A new, empty, initialized store; <paramref name="label"/> names its file or schema.</summary>
    Task<ISinkStore> CreateStoreAsync(string label);

    /// <summary>Rows in the journal of a store this target created (a check that every entry is really there).</summary>
    Task<long> CountJournalAsync(string label);

    /// <summary>The baseline's table, created empty: one single-row INSERT per entry, each its own transaction.</summary>
    Task<ISingleRowInsertTable> CreateBaselineAsync();
}

/// <summary>The single-row INSERT baseline's table: each producer thread opens its own writer (its own connection).</summary>
internal interface ISingleRowInsertTable : IAsyncDisposable
{
    /// <summary>What a writer does per entry, for the output.</summary>
    string Describe { get; }

    ISingleRowWriter OpenWriter(int producer);

    Task<long> CountAsync();
}

/// <summary>One connection inserting one entry per statement, auto-committed; false if the row was not written.</summary>
internal interface ISingleRowWriter : IDisposable
{
    bool Insert(ClosedEntry entry);
}
