using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using Nsock.Core;

namespace Nsock.Fuzz;

/// <summary>
/// One fuzz target per parser that reads what a peer or a user chose. Each takes the input bytes and may fail only
/// with the parser's documented NsockException (or a plain refusal); anything else escapes and is a crash to afl-fuzz,
/// a target that does not return in afl's -t time is a hang. The same parsers have CsCheck properties in
/// Nsock.Core.Tests (ParserPropertyTests).
/// </summary>
internal static class Targets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["sender-frames"] = SenderFrames,
        ["receiver-answers"] = ReceiverAnswers,
        ["http-response"] = HttpResponse,
        ["endpoint"] = Endpoint,
        ["ping"] = Ping,
    };

    // A sender's hello and file headers as the receiver reads them (FileReceiver.Run without the files).
    private static void SenderFrames(byte[] input)
    {
        var s = new MemoryStream(input);
        try
        {
            (byte version, _) = FileTransferProtocol.ReadHello(s);
            while (true)
            {
                int type = s.ReadByte();
                if (type < 0 || type == FileTransferProtocol.End) return;
                if (type != FileTransferProtocol.File) return; // the receiver ends the session here
                FileTransferProtocol.ReadFileHeader(s, version);
            }
        }
        catch (NsockException e) when (e.Kind == NsockErrorKind.Io)
        {
        }
    }

    // A receiver's hello, answers and verdicts as the sender reads them (FileSender without the files).
    private static void ReceiverAnswers(byte[] input)
    {
        var s = new MemoryStream(input);
        try
        {
            FileTransferProtocol.ReadHello(s);
            while (s.Position < s.Length)
            {
                byte code = FileTransferProtocol.ReadCode(s, "receiver's answer");
                if (code == FileTransferProtocol.Accept) FileTransferProtocol.ReadNumber(s, "resume offset");
                else if (code is FileTransferProtocol.Skip or FileTransferProtocol.Refuse or FileTransferProtocol.Failed) FileTransferProtocol.ReadReason(s);
                else if (code != FileTransferProtocol.Verified) return; // the sender ends the session here
            }
        }
        catch (NsockException e) when (e.Kind == NsockErrorKind.Io)
        {
        }
    }

    // A response as `nsock http` reads it, from a stream that ends where the input does. (The options are made here,
    // not in a static field: instrumented code may run only once afl's forkserver is up, inside the target.)
    private static void HttpResponse(byte[] input)
    {
        var get = new HttpRequestOptions { Url = new Uri("http://127.0.0.1/"), Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            HttpExchange.ReadFromAsync(new MemoryStream(input), get, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (NsockException)
        {
        }
    }

    // An endpoint as every command and cmdlet parses it (the input as UTF-8 text); what parses must print back the same.
    private static void Endpoint(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        Core.Endpoint e;
        try
        {
            e = EndpointParser.Parse(text);
        }
        catch (NsockException x) when (x.Kind == NsockErrorKind.BadInput)
        {
            return;
        }
        if (EndpointParser.Parse(e.ToString()) != e) throw new InvalidOperationException($"'{e}' does not parse back to the endpoint it was printed from");
    }

    // A datagram as the UDP ping reads it: true only for this session's probes.
    private static void Ping(byte[] input)
    {
        const uint Session = 0x01020304;
        if (PingPacket.TryRead(input, Session, out uint sequence))
        {
            byte[] probe = PingPacket.Build(Session, Math.Max(PingOptions.HeaderSize, input.Length), null);
            PingPacket.WriteSequence(probe, sequence);
            if (!PingPacket.TryRead(probe, Session, out uint again) || again != sequence) throw new InvalidOperationException("a probe does not read back");
        }
    }

    /// <summary>A few valid inputs per target, written by the real writers: afl-fuzz's starting corpus.</summary>
    public static IEnumerable<(string Target, string Name, byte[] Bytes)> Seeds()
    {
        var sender = new MemoryStream();
        FileTransferProtocol.WriteHello(sender, FileTransferProtocol.FlagResume);
        FileTransferProtocol.WriteFileHeader(sender, "dir/file.txt", 1234, 0x1a4, 1700000000000, FileHashAlgorithm.XXH128);
        FileTransferProtocol.WriteFileHeader(sender, "\u00e9t\u00e9.bin", 0, 0xFFFFFFFF, long.MinValue, FileHashAlgorithm.SHA256);
        sender.WriteByte(FileTransferProtocol.End);
        yield return ("sender-frames", "two-files", sender.ToArray());

        var receiver = new MemoryStream();
        FileTransferProtocol.WriteHello(receiver, 0);
        FileTransferProtocol.WriteCode(receiver, FileTransferProtocol.Accept, null, 0);
        FileTransferProtocol.WriteCode(receiver, FileTransferProtocol.Verified);
        FileTransferProtocol.WriteCode(receiver, FileTransferProtocol.Refuse, "exists");
        FileTransferProtocol.WriteCode(receiver, FileTransferProtocol.Failed, "digest mismatch");
        yield return ("receiver-answers", "answers", receiver.ToArray());

        yield return ("http-response", "content-length", Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello"));
        yield return ("http-response", "chunked", Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n"));
        yield return ("http-response", "close", Encoding.ASCII.GetBytes("HTTP/1.0 404 Not Found\r\nConnection: close\r\n\r\nbody until close"));

        foreach (string endpoint in new[] { "127.0.0.1:80", "[::1]:443", "udp://host.example:53", "unix:/tmp/s", ":8080" })
            yield return ("endpoint", endpoint.Replace('/', '_').Replace(':', '_'), Encoding.UTF8.GetBytes(endpoint));

        byte[] probe = PingPacket.Build(0x01020304, 32, null);
        PingPacket.WriteSequence(probe, 7);
        yield return ("ping", "probe", probe);
    }
}
