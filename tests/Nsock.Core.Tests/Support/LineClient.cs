using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core.Tests;

/// <summary>A line-oriented client of a chat (UTF-8 lines, LF), each read bounded by <see cref="Limits.Wait"/>.</summary>
internal sealed class LineClient : IDisposable
{
    private readonly StreamReader _reader;

    private LineClient(Socket socket)
    {
        Socket = socket;
        _reader = new StreamReader(new NetworkStream(socket, ownsSocket: false), new UTF8Encoding(false));
    }

    public Socket Socket { get; }

    public static async Task<LineClient> ConnectAsync(Endpoint endpoint) => new(await Loopback.ConnectAsync(endpoint));

    public Task SayAsync(string line) => Socket.SendAllAsync(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>The next line; fails when the stream ends or nothing comes within the bound.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        return await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("the chat closed the connection");
    }

    /// <summary>Reads lines until one satisfies <paramref name="match"/> and returns it (bounded).</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> match)
    {
        while (true)
        {
            string line = await ReadLineAsync();
            if (match(line)) return line;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        Socket.Dispose();
    }
}
