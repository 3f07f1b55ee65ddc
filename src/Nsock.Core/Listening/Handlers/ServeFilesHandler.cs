using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The tutorials' file server: a client sends a file name (ended by a newline or by half-closing) and gets the
// file's bytes back, or one line "nsock: error: <why>". Names obey the same rules as received files; only regular
// files are served (a FIFO, a device or a socket is refused, and opening never blocks: RegularFile); the name must
// arrive whole within NameTimeout, so a client trickling it cannot hold a slot.
internal sealed class ServeFilesHandler : IClientHandler
{
    private const int MaxName = FileTransferProtocol.MaxPathBytes;

    private readonly ServeFilesOptions _options;

    public ServeFilesHandler(ServeFilesOptions options) => _options = options;

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        var net = new PacedClientStream(client, _options.IdleTimeout);
        string? error = null;
        try
        {
            await BlockingThread.RunAsync("nsock serve", client, () => Serve(client, net, _options, context.Sink), ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "listener stopped";
        }
        catch (Exception e)
        {
            // That client's problem (or an unreadable file): the listener goes on.
            error = e is NsockException ? e.Message : SocketErrors.FromIo(e, "serving a file").Message;
        }
        return new ClientOutcome(net.BytesRead, net.BytesWritten, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, error);
    }

    private static void Serve(Socket client, PacedClientStream net, ServeFilesOptions o, IEventSink sink)
    {
        long start = Stopwatch.GetTimestamp();
        string name = "";
        FileStream file;
        try
        {
            net.BeginDeadline("the file name", o.NameTimeout);
            try
            {
                name = ReadName(net);
            }
            catch (NsockException e) when (e.Kind == NsockErrorKind.TimedOut)
            {
                // Told why, in case it is a person typing; the client's closed event carries it too.
                net.Write(Encoding.UTF8.GetBytes("nsock: error: " + e.Message + "\n"));
                throw;
            }
            net.EndPhase();
            string full = SafePath.Resolve(o.Directory, name);
            if (!File.Exists(full)) throw NsockException.BadInput($"no file '{name}'");
            file = RegularFile.OpenRead(full, name, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is NsockException { Kind: NsockErrorKind.BadInput } or IOException or UnauthorizedAccessException)
        {
            // The reason names the file as the client did, never this side's path.
            string reason = e is NsockException ? e.Message : $"cannot read '{name}'";
            net.Write(Encoding.UTF8.GetBytes("nsock: error: " + reason + "\n"));
            client.Shutdown(SocketShutdown.Send);
            sink.Emit(new FileResult(name, 0, null, false, FileStatus.Refused, e is NsockException ? reason : $"{reason}: {e.Message}", 0, 0, 0));
            return;
        }
        using (file)
        {
            long size = file.Length;
            // A client that stops reading is dropped.
            ZeroCopy.SendRange(client, file, 0, size, new byte[64 * 1024], stall: o.IdleTimeout ?? TimeSpan.Zero);
            net.CountWritten(size);
            client.Shutdown(SocketShutdown.Send);
            double seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
            sink.Emit(new FileResult(name, size, null, false, FileStatus.Sent, null, 0, seconds, seconds > 0 ? size / seconds : 0));
        }
    }

    private static string ReadName(PacedClientStream net)
    {
        var bytes = new MemoryStream();
        var one = new byte[1];
        while (bytes.Length <= MaxName)
        {
            int n = net.Read(one, 0, 1);
            if (n == 0 || one[0] == (byte)'\n') break;
            bytes.WriteByte(one[0]);
        }
        if (bytes.Length > MaxName) throw NsockException.BadInput($"file name longer than {MaxName} bytes");
        return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
    }
}
