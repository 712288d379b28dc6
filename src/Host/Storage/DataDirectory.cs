using Aggregator.Host.Configuration;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Storage;

/// <summary>The one resolved, absolute location of local state, so every store agrees on where its files live.</summary>
public sealed class DataDirectory(IOptions<AggregatorOptions> options, IHostEnvironment environment)
{
    /// <summary>Absolute path of the directory; relative settings are resolved against the content root.</summary>
    public string FullPath { get; } =
        Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.DataDirectory));
}
