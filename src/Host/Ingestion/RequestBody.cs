using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Aggregator.Host.Ingestion;

/// <summary>
/// A request body read whole into one pooled buffer (messages are parsed from one contiguous span), refusing a body
/// over the limit as soon as it is known to be too big: by its Content-Length, or while reading a chunked one.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[] buffer;
    private int length;

    private RequestBody(byte[] buffer)
    {
        this.buffer = buffer;
    }

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

    /// <summary>The body, for a delivery that outlives one synchronous call (valid until disposed).</summary>
    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, length);

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return null;
        // Our limit replaces Kestrel's default (30 MB), so a configured larger limit is honoured and a smaller one
        // answered with our 413 body rather than the server's.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        var initial = (int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes) + 1;
        var body = new RequestBody(ArrayPool<byte>.Shared.Rent(Math.Max(initial, 4096)));
        try
        {
            while (true)
            {
                if (body.length == body.buffer.Length) body.Grow();
                var read = await request.Body.ReadAsync(body.buffer.AsMemory(body.length), cancellationToken).ConfigureAwait(false);
                if (read == 0) return body;
                body.length += read;
                if (body.length > maxBytes)
                {
                    body.Dispose();
                    return null;
                }
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }

    public void Dispose()
    {
        if (buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
        length = 0;
    }
}
