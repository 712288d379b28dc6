namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>One value an entry publishes: its top-level member name (also its CloudWatch metric name), unit and value.</summary>
internal readonly record struct EmfMetric(string Name, string Unit, double Value);
