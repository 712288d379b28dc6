using System.Globalization;

namespace Aggregator.Host.Queries;

/// <summary>
/// Reads the query string of a query endpoint, each method throwing <see cref="QueryParameterException"/> that names
/// the parameter and says what is accepted, so a 400 tells the caller exactly what to fix.
/// </summary>
internal readonly struct QueryParameters(IQueryCollection query)
{
    public string Required(string name)
    {
        var value = query[name].ToString();
        if (string.IsNullOrWhiteSpace(value)) throw new QueryParameterException(name, $"\"{name}\" is required");
        return value;
    }

    /// <summary>An ISO-8601 time; without an offset it is taken as UTC.</summary>
    public DateTimeOffset Time(string name, DateTimeOffset fallback)
    {
        var value = query[name].ToString();
        if (string.IsNullOrEmpty(value)) return fallback;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new QueryParameterException(name, $"\"{name}\" must be an ISO-8601 time such as 2026-11-21T10:00:00Z, got \"{Clip(value)}\"");
        }
        return time;
    }

    /// <summary>[from, to): to defaults to now, from to one hour before to; to must be after from.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset now)
    {
        var to = Time("to", now);
        var from = Time("from", to.AddHours(-1));
        if (to <= from) throw new QueryParameterException("to", $"\"to\" ({to:O}) must be after \"from\" ({from:O})");
        return (from, to);
    }

    public int Int(string name, int fallback, int min, int max)
    {
        var value = query[name].ToString();
        if (string.IsNullOrEmpty(value)) return fallback;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new QueryParameterException(name, $"\"{name}\" must be a whole number from {min} to {max}, got \"{Clip(value)}\"");
        }
        return number;
    }

    public string? Optional(string name)
    {
        var value = query[name].ToString();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>A comma-separated list of names (e.g. groupBy=Region,Tenant).</summary>
    public IReadOnlyList<string> Names(string name, int max)
    {
        var value = query[name].ToString();
        if (string.IsNullOrEmpty(value)) return [];
        var names = value.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(string.IsNullOrEmpty)) throw new QueryParameterException(name, $"\"{name}\" has an empty name; give comma-separated names");
        if (names.Length > max) throw new QueryParameterException(name, $"\"{name}\" has {names.Length} names; at most {max}");
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw new QueryParameterException(name, $"\"{name}\" names a dimension twice");
        return names;
    }

    /// <summary>A comma-separated list of quantiles, each in [0, 1] (e.g. quantiles=0.5,0.9,0.99).</summary>
    public IReadOnlyList<double>? Quantiles(string name, int max)
    {
        var value = query[name].ToString();
        if (string.IsNullOrEmpty(value)) return null;
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > max) throw new QueryParameterException(name, $"\"{name}\" has {parts.Length} quantiles; at most {max}");
        var quantiles = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out quantiles[i]) || !(quantiles[i] >= 0 && quantiles[i] <= 1))
            {
                throw new QueryParameterException(name, $"\"{name}\": \"{Clip(parts[i])}\" is not a quantile; each must be a number from 0 to 1");
            }
        }
        return quantiles;
    }

    private static string Clip(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
