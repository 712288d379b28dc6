using System.Buffers;
using System.Text;

namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// Where an output's lines go: a text writer such as stdout (what a container log driver or the Lambda runtime
/// picks up) or a rotating file (what the CloudWatch agent or a log shipper tails). Outputs write UTF-8 lines one at
/// a time and call <see cref="EndBatch"/> once per batch; callers hold the output's lock, so targets need none.
/// </summary>
public abstract class LineTarget : IDisposable
{
    /// <summary>For the output's <see cref="IEntryOutput.Name"/>: "stdout" or "file".</summary>
    public abstract string Kind { get; }

    /// <summary>Appends one line; <paramref name="utf8Line"/> holds no line break, the target adds it.</summary>
    public abstract void Append(ReadOnlySpan<byte> utf8Line);

    /// <summary>Flushes what the batch appended, so a reader sees whole batches without waiting for disposal.</summary>
    public abstract void EndBatch();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }

    /// <summary>Lines to a text writer (e.g. <see cref="Console.Out"/>); the writer is disposed with the target only when <paramref name="ownsWriter"/>.</summary>
    public static LineTarget Of(TextWriter writer, bool ownsWriter = false) => new TextWriterTarget(writer, ownsWriter);

    /// <summary>Lines to size- and/or day-rotated files, see <see cref="RotatingFileTarget"/>.</summary>
    public static LineTarget RotatingFile(RotatingFileSettings settings, TimeProvider? time = null) => new RotatingFileTarget(settings, time);

    private sealed class TextWriterTarget(TextWriter writer, bool ownsWriter) : LineTarget
    {
        private readonly TextWriter writer = writer ?? throw new ArgumentNullException(nameof(writer));

        public override string Kind => "stdout";

        public override void Append(ReadOnlySpan<byte> utf8Line)
        {
            var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8Line.Length) + 1);
            try
            {
                var count = Encoding.UTF8.GetChars(utf8Line, chars);
                chars[count] = '\n';
                // One call per line, so a writer shared with other code (Console.Out is synchronised) keeps the line whole.
                writer.Write(chars, 0, count + 1);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }

        public override void EndBatch() => writer.Flush();

        protected override void Dispose(bool disposing)
        {
            if (!disposing) return;
            if (ownsWriter) writer.Dispose();
            else writer.Flush();
        }
    }
}
