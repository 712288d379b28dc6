using System.Text.Json;

namespace Aggregator.Contracts.Wire;

/// <summary>
/// Reads a whole batch body (a JSON array or NDJSON) into a <see cref="WireBatch"/>. A message that is wrong costs
/// only itself; in NDJSON that includes a line that is not JSON at all. A body that cannot be read as a whole (empty,
/// or an array with a syntax error) throws <see cref="WireFormatException"/> with the position, and nothing of it counts.
/// </summary>
public static class WireBatchReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>
    /// Reads <paramref name="body"/> as <paramref name="format"/> says, except that a <see cref="WireBodyFormat.JsonArray"/>
    /// body starting with '{' is one message when it is exactly one JSON object (however many lines it spans), and
    /// otherwise NDJSON sent with the wrong content type.
    /// </summary>
    public static WireBatch Read(ReadOnlySpan<byte> body, WireBodyFormat format, WireLimits? limits = null)
    {
        var start = SkipWhitespace(body, 0);
        if (start == body.Length) throw new WireFormatException("the body is empty; expected a JSON array of messages, or NDJSON (one message object per line)");
        var reader = new WireMessageReader(limits);
        if (format == WireBodyFormat.NdJson)
        {
            return ReadLines(body, reader);
        }
        if (body[start] == (byte)'{')
        {
            return IsOneValue(body) ? ReadSingle(body, reader) : ReadLines(body, reader);
        }
        if (body[start] != (byte)'[')
        {
            var (line, position) = Position(body, start);
            throw new WireFormatException(
                $"the body is not valid JSON at line {line + 1}, byte {position + 1}: expected a JSON array of messages, or NDJSON (one message object per line).",
                line, position);
        }
        return ReadArray(body, reader);
    }

    private static WireBatch ReadArray(ReadOnlySpan<byte> body, WireMessageReader messageReader)
    {
        var messages = new List<IEntryMessage>();
        var sources = new List<Range>();
        var rejected = new List<WireRejection>();
        var json = new Utf8JsonReader(body, Options);
        try
        {
            json.Read();
            var index = 0;
            while (json.Read() && json.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)json.TokenStartIndex;
                var message = messageReader.Read(ref json, out var error);
                if (message is not null)
                {
                    messages.Add(message);
                    sources.Add(start..(int)json.BytesConsumed);
                }
                else rejected.Add(new WireRejection(index, error!));
                index++;
            }
            // With the options above the reader itself throws, with the position, on an unclosed array or on data after it;
            // these two are a guard in case it ever stops doing so.
            if (json.TokenType != JsonTokenType.EndArray) throw AtPosition("the array is not closed", body, body.Length);
            if (json.Read()) throw AtPosition("unexpected data after the array", body, (int)json.TokenStartIndex);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber ?? 0;
            var position = ex.BytePositionInLine ?? 0;
            throw new WireFormatException($"the body is not valid JSON at line {line + 1}, byte {position + 1}: {FirstSentence(ex.Message)}", line, position, ex);
        }
        return new WireBatch(messages, rejected, sources);
    }

    private static bool IsOneValue(ReadOnlySpan<byte> body)
    {
        try
        {
            var json = new Utf8JsonReader(body, Options);
            json.Read();
            json.Skip();
            return !json.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static WireBatch ReadSingle(ReadOnlySpan<byte> body, WireMessageReader messageReader)
    {
        var json = new Utf8JsonReader(body, Options);
        json.Read();
        var start = (int)json.TokenStartIndex;
        var message = messageReader.Read(ref json, out var error);
        return message is not null ? new WireBatch([message], [], [start..(int)json.BytesConsumed]) : new WireBatch([], [new WireRejection(0, error!)]);
    }

    private static WireBatch ReadLines(ReadOnlySpan<byte> body, WireMessageReader messageReader)
    {
        var messages = new List<IEntryMessage>();
        var sources = new List<Range>();
        var rejected = new List<WireRejection>();
        var index = 0;
        var lineNumber = 0;
        var offset = 0;
        while (body.Length > 0)
        {
            var end = body.IndexOf((byte)'\n');
            var line = end < 0 ? body : body[..end];
            body = end < 0 ? default : body[(end + 1)..];
            var lineStart = offset;
            offset += end < 0 ? line.Length : end + 1;
            lineNumber++;
            if (SkipWhitespace(line, 0) == line.Length) continue;
            try
            {
                var json = new Utf8JsonReader(line, Options);
                json.Read();
                var message = messageReader.Read(ref json, out var error);
                if (message is not null && json.Read()) throw new JsonException("unexpected data after the message object", null, 0, json.TokenStartIndex);
                if (message is not null)
                {
                    messages.Add(message);
                    sources.Add(lineStart..(lineStart + line.Length));
                }
                else rejected.Add(new WireRejection(index, $"line {lineNumber}: {error}"));
            }
            catch (JsonException ex)
            {
                rejected.Add(new WireRejection(index, $"line {lineNumber}: not valid JSON at byte {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}"));
            }
            index++;
        }
        return new WireBatch(messages, rejected, sources);
    }

    private static JsonException AtPosition(string message, ReadOnlySpan<byte> body, int offset)
    {
        var (line, position) = Position(body, offset);
        return new JsonException(message, null, line, position);
    }

    /// <summary>The 0-based line and byte within it of <paramref name="offset"/>, lines ending at '\n'.</summary>
    private static (long Line, long BytePositionInLine) Position(ReadOnlySpan<byte> body, int offset)
    {
        var before = body[..offset];
        var lastNewLine = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n'), offset - lastNewLine - 1);
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> span, int from)
    {
        while (from < span.Length && span[from] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') from++;
        return from;
    }

    /// <summary>System.Text.Json appends "LineNumber: … BytePositionInLine: …" which the caller states more plainly.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = cut < 0 ? message : message[..cut];
        return text.TrimEnd(' ', '|', '.') + ".";
    }
}
