using Serilog.Core;
using Serilog.Events;
using Xunit.Abstractions;

namespace Aggregator.Testing;

/// <summary>Serilog sink writing to xunit's per-test output, so kernel logs show beside the failing test.</summary>
internal sealed class TestOutputSink(ITestOutputHelper output) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        try
        {
            output.WriteLine($"[{logEvent.Level.ToString()[..3].ToUpperInvariant()}] {logEvent.RenderMessage()}{(logEvent.Exception is null ? "" : " " + logEvent.Exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; xunit refuses late output.
        }
    }
}
