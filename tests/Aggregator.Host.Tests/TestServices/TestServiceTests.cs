using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Aggregator.Host.Tests.TestServices;

/// <summary>
/// Proves that the services ./scripts/test.sh exports really answer at the advertised addresses with the
/// advertised credentials, speaking just enough of each wire protocol (no client packages needed).
/// </summary>
public sealed class TestServiceTests
{
    [ServiceFact("AGGREGATOR_TEST_POSTGRES")]
    public async Task Postgres_accepts_the_exported_connection_string()
    {
        var settings = Environment.GetEnvironmentVariable("AGGREGATOR_TEST_POSTGRES")!
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        using var client = await ConnectWhileRestartingAsync(settings["Host"], int.Parse(settings["Port"]));
        var stream = client.GetStream();

        // StartupMessage, protocol 3.0. Trust auth answers AuthenticationOk, then the server opens the
        // database and says ReadyForQuery ('Z'); a wrong user or database gets an ErrorResponse ('E').
        var parameters = Encoding.UTF8.GetBytes($"user\0{settings["Username"]}\0database\0{settings["Database"]}\0\0");
        var startup = new byte[8 + parameters.Length];
        BinaryPrimitives.WriteInt32BigEndian(startup, startup.Length);
        BinaryPrimitives.WriteInt32BigEndian(startup.AsSpan(4), 3 << 16);
        parameters.CopyTo(startup, 8);
        await stream.WriteAsync(startup, TestContext.Timeout);

        var received = new List<char>();
        while (received.LastOrDefault() != 'Z')
        {
            var header = new byte[5];
            await stream.ReadExactlyAsync(header, TestContext.Timeout);
            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1)) - 4];
            await stream.ReadExactlyAsync(body, TestContext.Timeout);
            Assert.False(header[0] == (byte)'E', "PostgreSQL refused the session: " + Encoding.UTF8.GetString(body).Replace('\0', ' '));
            if (header[0] == (byte)'R')
            {
                Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(body)); // AuthenticationOk, no password asked
            }

            received.Add((char)header[0]);
        }

        Assert.Equal('R', received[0]);
    }

    /// <summary>
    /// Connects, retrying refused connections for up to 30 s: the sink outage test in Aggregator.Actors.Tests (another
    /// test process, run in parallel) stops and restarts this same server for about a second.
    /// </summary>
    private static async Task<TcpClient> ConnectWhileRestartingAsync(string host, int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(host, port, TestContext.Timeout);
                return client;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                client.Dispose();
                await Task.Delay(200);
            }
        }
    }

    [ServiceFact("AGGREGATOR_TEST_RABBITMQ")]
    public async Task RabbitMQ_accepts_the_exported_url_and_credentials()
    {
        var url = new Uri(Environment.GetEnvironmentVariable("AGGREGATOR_TEST_RABBITMQ")!);
        var credentials = Uri.UnescapeDataString(url.UserInfo).Split(':', 2);
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port, TestContext.Timeout);
        var stream = client.GetStream();

        await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), TestContext.Timeout);
        Assert.Equal((10, 10), await ReadMethodAsync(stream)); // connection.start

        await stream.WriteAsync(StartOk(credentials[0], credentials[1]), TestContext.Timeout);
        Assert.Equal((10, 30), await ReadMethodAsync(stream)); // connection.tune: the broker accepted the login
    }

    private static async Task<(int ClassId, int MethodId)> ReadMethodAsync(NetworkStream stream)
    {
        var header = new byte[7];
        await stream.ReadExactlyAsync(header, TestContext.Timeout);
        Assert.Equal(1, header[0]); // method frame
        var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(3)) + 1];
        await stream.ReadExactlyAsync(payload, TestContext.Timeout);
        Assert.Equal(0xCE, payload[^1]); // frame end
        return (BinaryPrimitives.ReadUInt16BigEndian(payload), BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(2)));
    }

    private static byte[] StartOk(string user, string password)
    {
        var payload = new List<byte>();
        void Short(int value) => payload.AddRange([(byte)(value >> 8), (byte)value]);
        void Long(int value) => payload.AddRange([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        void ShortString(string value) { payload.Add((byte)value.Length); payload.AddRange(Encoding.ASCII.GetBytes(value)); }

        Short(10);
        Short(11);                 // connection.start-ok
        Long(0);                   // client properties: empty table
        ShortString("PLAIN");
        var response = Encoding.UTF8.GetBytes($"\0{user}\0{password}");
        Long(response.Length);
        payload.AddRange(response);
        ShortString("en_US");

        var frame = new byte[7 + payload.Count + 1];
        frame[0] = 1;              // method frame, channel 0
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(3), payload.Count);
        payload.CopyTo(frame, 7);
        frame[^1] = 0xCE;
        return frame;
    }
}
