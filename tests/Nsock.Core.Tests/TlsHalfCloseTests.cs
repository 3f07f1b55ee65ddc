using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// A short exchange over TLS 1.3 with <c>openssl s_server -rev</c> whose input ends right after the handshake: the
/// close_notify then meets the server's session tickets. It once raced the reading thread's decrypt of them
/// ("shutdown while in init"; the reply failed to decrypt or was lost in about 1 exchange of 30), so it is repeated.
/// </summary>
public sealed class TlsHalfCloseTests : IDisposable
{
    private const int Exchanges = 60;
    private readonly string _dir = Directory.CreateTempSubdirectory("nsock-tls-hc-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Every_short_exchange_gets_the_whole_reply_after_the_half_close()
    {
        string cert = Path.Combine(_dir, "c.pem"), key = Path.Combine(_dir, "k.pem");
        (int code, string output) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(30), Tools.OpenSsl,
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost");
        Assert.True(code == 0, output);

        for (int i = 0; i < Exchanges; i++)
        {
            using ExternalProcess server = ExternalProcess.Start(Tools.OpenSsl, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-rev", "-tls1_3", "-cert", cert, "-key", key);
            string? line = await server.WaitForLineAsync(l => l.StartsWith("ACCEPT", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            Assert.True(line is not null, "s_server did not start: " + server.Output);
            int port = int.Parse(Regex.Match(line!, @":(\d+)\s*$").Groups[1].Value);
            SendPlan plan = new SendRequest { Target = new ConnectTarget { Endpoint = $"tls://127.0.0.1:{port}", Insecure = true, Timeout = 10 } }.Validate(PlainOptionNames.Instance);
            var reply = new MemoryStream();

            // The input ends a little later each time (0 to 4 ms after the data): the close_notify sweeps the moment the tickets arrive.
            var input = new LateEndStream(Encoding.ASCII.GetBytes("hello\nworld\n"), TimeSpan.FromTicks(i * TimeSpan.TicksPerMillisecond / 10));

            SendResult r = await plan.RunAsync(input, reply, new TestEventSink(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

            Assert.True(Encoding.ASCII.GetString(reply.ToArray()) == "olleh\ndlrow\n", $"exchange {i + 1}: reply '{Encoding.ASCII.GetString(reply.ToArray())}'");
            Assert.Equal(12, r.BytesSent);
        }
    }

    [Fact]
    public async Task A_close_notify_while_the_reading_thread_takes_the_session_tickets_loses_no_reply()
    {
        // As the relay does it, with the reading thread already waiting when the tickets arrive: the window where the
        // close_notify met their decrypt (2 of 60 exchanges in a harness before the fix).
        string cert = Path.Combine(_dir, "c2.pem"), key = Path.Combine(_dir, "k2.pem");
        (int code, string output) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(30), Tools.OpenSsl,
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost");
        Assert.True(code == 0, output);
        for (int i = 0; i < Exchanges; i++)
        {
            // A fresh server each time: its first connection sends the tickets late enough to meet the close_notify.
            using ExternalProcess server = ExternalProcess.Start(Tools.OpenSsl, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-rev", "-tls1_3", "-cert", cert, "-key", key);
            string? line = await server.WaitForLineAsync(l => l.StartsWith("ACCEPT", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            Assert.True(line is not null, "s_server did not start: " + server.Output);
            int port = int.Parse(Regex.Match(line!, @":(\d+)\s*$").Groups[1].Value);
            SendPlan plan = new SendRequest { Target = new ConnectTarget { Endpoint = $"tls://127.0.0.1:{port}", Insecure = true, Timeout = 10 } }.Validate(PlainOptionNames.Instance);
            using Socket socket = await Connector.ConnectAsync(plan.Endpoint, plan.Options.Connect, CancellationToken.None);
            using TlsStream tls = await plan.Options.Tls!.StartAsync(socket, plan.Endpoint, new TestEventSink(), CancellationToken.None);
            var reply = new MemoryStream();
            Exception? failure = null;
            var reader = new Thread(() =>
            {
                byte[] buffer = new byte[16384];
                try
                {
                    int n;
                    while ((n = tls.Read(buffer, 0, buffer.Length)) > 0) reply.Write(buffer, 0, n);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            reader.Start();

            tls.Write(Encoding.ASCII.GetBytes("hello\nworld\n"), 0, 12);
            tls.CloseWrite();
            socket.Shutdown(SocketShutdown.Send);

            Assert.True(reader.Join(TimeSpan.FromSeconds(15)), $"exchange {i + 1}: the reply never ended");
            Assert.True(failure is null && Encoding.ASCII.GetString(reply.ToArray()) == "olleh\ndlrow\n",
                $"exchange {i + 1}: reply '{Encoding.ASCII.GetString(reply.ToArray())}', {failure?.Message} {failure?.InnerException?.Message}");
        }
    }
}

/// <summary>Gives its bytes, then waits <c>end</c> (spinning: finer than a sleep) before the end of stream.</summary>
internal sealed class LateEndStream : Stream
{
    private readonly byte[] _data;
    private readonly TimeSpan _end;
    private bool _given;

    public LateEndStream(byte[] data, TimeSpan end)
    {
        _data = data;
        _end = end;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (!_given)
        {
            _given = true;
            Array.Copy(_data, 0, buffer, offset, _data.Length);
            return _data.Length;
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < _end) Thread.SpinWait(20);
        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
