namespace Aggregator.Host.Queries;

/// <summary>A query parameter that cannot be used; the API answers 400 naming <see cref="Parameter"/>.</summary>
internal sealed class QueryParameterException(string parameter, string message) : Exception(message)
{
    public string Parameter { get; } = parameter;
}
