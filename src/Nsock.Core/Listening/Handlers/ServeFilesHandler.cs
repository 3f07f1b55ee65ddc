using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The tutorials' file server: a client sends a file name (ended by a newline or by half-closing) and gets the
// file's bytes back, or one line "nsock: error: <why>". Names obey the same rules as received files.
internal sealed class ServeFilesHandler : IClientHandler
{
    private const int MaxName = FileTransferProtocol.MaxPathBytes;

    private readonly ServeFilesOptions _options;

    public ServeFilesHandler(ServeFilesOptions options) => _options = options;

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        try
        {
            await BlockingThread.RunAsync("nsock serve", client, () => Serve(client, _options, context.Sink), ct).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // That client's problem (or an unreadable file): the listener goes on.
        }
        return null;
    }

    private static void Serve(Socket client, ServeFilesOptions o, IEventSink sink)
    {
        long start = Stopwatch.GetTimestamp();
        TimeSpan idle = o.IdleTimeout;
        client.ReceiveTimeout = (int)Math.Min(int.MaxValue, idle.TotalMilliseconds);
        string name = "";
        string full;
        try
        {
            name = ReadName(client);
            full = SafePath.Resolve(o.Directory, name);
            if (!File.Exists(full)) throw NsockException.BadInput($"no file '{name}'");
        }
        catch (NsockException e)
        {
            byte[] line = Encoding.UTF8.GetBytes("nsock: error: " + e.Message + "\n");
            client.Send(line);
            client.Shutdown(SocketShutdown.Send);
            sink.Emit(new FileResult(name, 0, null, false, FileStatus.Refused, e.Message, 0, 0, 0));
            return;
        }
        using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        long size = file.Length;
        ZeroCopy.SendRange(client, file, 0, size, new byte[64 * 1024], stall: idle); // a client that stops reading is dropped
        client.Shutdown(SocketShutdown.Send);
        double seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        sink.Emit(new FileResult(name, size, null, false, FileStatus.Sent, null, 0, seconds, seconds > 0 ? size / seconds : 0));
    }

    private static string ReadName(Socket client)
    {
        var bytes = new MemoryStream();
        var one = new byte[1];
        while (bytes.Length <= MaxName)
        {
            int n = client.Receive(one);
            if (n == 0 || one[0] == (byte)'\n') break;
            bytes.WriteByte(one[0]);
        }
        if (bytes.Length > MaxName) throw NsockException.BadInput($"file name longer than {MaxName} bytes");
        return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
    }
}
