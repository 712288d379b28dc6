namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>Builds the output an <see cref="OutputOptions"/> describes, so the host needs no knowledge of the output types.</summary>
public static class EntryOutputs
{
    /// <param name="options">Validated first.</param>
    /// <param name="section">The configuration path the options came from, prefixed to every validation message.</param>
    /// <param name="stdout">The writer for <see cref="OutputTarget.Stdout"/>; <see cref="Console.Out"/> when null. Not disposed by the output.</param>
    /// <param name="time">The clock for daily rotation; the system clock when null.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem by option name.</exception>
    public static IEntryOutput Create(OutputOptions options, string section = "Outputs", TextWriter? stdout = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate(section);
        if (errors.Count > 0) throw new ArgumentException("Invalid output options: " + string.Join("; ", errors), nameof(options));
        var target = options.Target == OutputTarget.File
            ? LineTarget.RotatingFile(options.FileSettings(), time)
            : LineTarget.Of(stdout ?? Console.Out);
        try
        {
            return options.Kind == OutputKind.Emf ? new EmfOutput(options.EmfSettings(), target) : new JsonLinesOutput(target);
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }
}
