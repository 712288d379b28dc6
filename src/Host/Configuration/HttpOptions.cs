using Aggregator.Contracts.Wire;

namespace Aggregator.Host.Configuration;

/// <summary>The HTTP API's limits (section <c>Aggregator:Http</c>): what one request may carry and what a refused producer is told.</summary>
public sealed class HttpOptions
{
    /// <summary>Largest accepted POST /v1/messages body; larger ones get 413 before anything is applied.</summary>
    public long MaxRequestBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>The Retry-After (seconds) sent with 503 when the service is overloaded, starting or stopping.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Longest entry id or name (operation, field, counter, slot, guard, dimension), in characters.</summary>
    public int MaxNameLength { get; set; } = WireLimits.Default.MaxNameLength;

    /// <summary>Longest string value (field value, failSlot error, dimension value), in characters.</summary>
    public int MaxStringLength { get; set; } = WireLimits.Default.MaxStringLength;

    /// <summary>Most dimensions on one entry.</summary>
    public int MaxDimensions { get; set; } = WireLimits.Default.MaxDimensions;

    public WireLimits ToWireLimits() => new() { MaxNameLength = MaxNameLength, MaxStringLength = MaxStringLength, MaxDimensions = MaxDimensions };

    /// <summary>Every setting that is wrong, each naming its key.</summary>
    public IEnumerable<string> Errors(string section)
    {
        if (MaxRequestBytes <= 0) yield return $"{section}:MaxRequestBytes must be greater than zero (was {MaxRequestBytes}).";
        if (RetryAfterSeconds <= 0) yield return $"{section}:RetryAfterSeconds must be greater than zero (was {RetryAfterSeconds}).";
        if (MaxNameLength <= 0) yield return $"{section}:MaxNameLength must be greater than zero (was {MaxNameLength}).";
        if (MaxStringLength <= 0) yield return $"{section}:MaxStringLength must be greater than zero (was {MaxStringLength}).";
        if (MaxDimensions <= 0) yield return $"{section}:MaxDimensions must be greater than zero (was {MaxDimensions}).";
    }
}
