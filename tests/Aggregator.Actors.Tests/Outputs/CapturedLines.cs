using Aggregator.Actors.Sinks.Outputs;

namespace Aggregator.Actors.Tests.Outputs;

/// <summary>A stdout-like target whose lines a test reads back.</summary>
internal sealed class CapturedLines
{
    private readonly StringWriter writer = new() { NewLine = "\n" };

    public LineTarget Target => LineTarget.Of(writer);

    public IReadOnlyList<string> Lines
    {
        get
        {
            var text = writer.ToString();
            Assert.True(text.Length == 0 || text.EndsWith('\n'), "the last line is not terminated");
            return text.Length == 0 ? [] : text[..^1].Split('\n');
        }
    }
}
