using Aggregator.Actors.Persistence;
using Aggregator.Host;
using Aggregator.Host.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aggregator.Benchmarks.Load;

/// <summary>
/// The real service (AggregatorApp.Build: Kestrel on 127.0.0.1 at a random port, SQLite in a temp data directory,
/// Serilog at Warning) in this process, with its store wrapped in a <see cref="PersistClock"/>. The wrap is done by a
/// service provider factory, which sees the service collection after the app registered its store.
/// </summary>
internal sealed class LoadService : IAsyncDisposable
{
    private readonly string root;

    private LoadService(string root, WebApplication app, PersistClock clock)
    {
        this.root = root;
        App = app;
        Clock = clock;
    }

    public WebApplication App { get; }
    public PersistClock Clock { get; }
    public Uri Address => new(App.Urls.First());
    public EntryPipeline Pipeline => App.Services.GetRequiredService<EntryPipeline>();
    public string DataDirectory => Path.Combine(root, "data");

    public static async Task<LoadService> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "aggregator-load-" + Guid.NewGuid().ToString("N"));
        PersistClock? clock = null;
        var app = AggregatorApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["urls"] = "http://127.0.0.1:0",
                ["Aggregator:DataDirectory"] = Path.Combine(root, "data"),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
            builder.Host.UseServiceProviderFactory(new StoreWrapping(store => clock = new PersistClock(store)));
        });
        await app.StartAsync().ConfigureAwait(false);
        _ = app.Services.GetRequiredService<ISinkStore>();
        return new LoadService(root, app, clock ?? throw new InvalidOperationException("the store was not wrapped"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    /// <summary>Replaces the app's <see cref="ISinkStore"/> registration with the same store, wrapped.</summary>
    private sealed class StoreWrapping(Func<ISinkStore, ISinkStore> wrap) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(ISinkStore));
            var create = original.ImplementationFactory ?? throw new InvalidOperationException("the store is expected to be registered by a factory");
            services.Remove(original);
            services.AddSingleton(provider => wrap((ISinkStore)create(provider)));
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection services) => services.BuildServiceProvider();
    }
}
