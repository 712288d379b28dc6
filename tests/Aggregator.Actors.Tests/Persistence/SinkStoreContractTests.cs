using Aggregator.Actors.Persistence;

namespace Aggregator.Actors.Tests.Persistence;

/// <summary>
/// What every <see cref="ISinkStore"/> must do, run for real against each store (a SQLite file; PostgreSQL 15 started
/// by ./scripts/test.sh). A store's test class derives from this and says how to make a fresh, empty store.
/// </summary>
public abstract class SinkStoreContractTests : IAsyncLifetime
{
    private ISinkStore? store;

    protected ISinkStore Store => store ?? throw new InvalidOperationException("InitializeAsync has not run");

    /// <summary>A new store over empty storage (a new file, a new schema or database).</summary>
    protected abstract Task<ISinkStore> CreateStoreAsync();

    /// <summary>A second store over the same storage, as after a process restart.</summary>
    protected abstract Task<ISinkStore> ReopenStoreAsync();

    public async Task InitializeAsync()
    {
        store = await CreateStoreAsync();
        await store.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (store is not null) await store.DisposeAsync();
    }
}
