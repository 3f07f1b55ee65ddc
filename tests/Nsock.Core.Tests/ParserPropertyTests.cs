using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// Properties of the parsers that read what a peer or a user chose (issue 14, "Fuzz the parsers"): on any input they
/// fail only with their documented NsockException (or a clear false), they end (every input is finite and each step
/// consumes it), and what a writer writes reads back the same. Each property runs a bounded number of samples on one
/// thread, a second or two; a failure prints its seed and the shrunk input. The coverage-guided runs of the same
/// parsers are scripts/fuzz (tests/Nsock.Fuzz).
/// </summary>
public sealed class ParserPropertyTests
{
    private const int Samples = 3000;

    // Bytes that are mostly protocol-shaped: a valid frame cut, flipped or spliced, or plain noise.
    private static Gen<byte[]> Mutated(Gen<byte[]> valid) =>
        Gen.OneOf<byte[]>(
            Gen.Byte.Array[0, 64],
            valid,
            Gen.Select(valid, Gen.Int[0, 64], (v, cut) => v.Take(Math.Max(0, v.Length - cut)).ToArray()),
            Gen.Select(valid, Gen.Int, Gen.Byte, (v, at, b) =>
            {
                byte[] copy = (byte[])v.Clone();
                if (copy.Length > 0) copy[(int)((uint)at % copy.Length)] = b;
                return copy;
            }),
            Gen.Select(valid, Gen.Byte.Array[0, 16], (v, tail) => v.Concat(tail).ToArray()));

    // Strings of whole characters (surrogates only in pairs), as file names and reasons are.
    private static readonly Gen<string> Text = Gen.OneOf<string>(
            Gen.Char['\u0020', '\u007e'].Select(c => c.ToString()),
            Gen.Char['\u00a0', '\ud7ff'].Select(c => c.ToString()),
            Gen.OneOf<string>("\U0001F600", "\U00010348", "/", "\0", "\r\n"))
        .Array[0, 40].Select(parts => string.Concat(parts));

    // ---- file transfer: what a sender writes, as the receiver reads it ----

    private static readonly Gen<(string Path, long Size, uint Mode, long MTime, FileHashAlgorithm Algorithm)> Header =
        Gen.Select(Text.Where(t => t.Length > 0 && Encoding.UTF8.GetByteCount(t) <= FileTransferProtocol.MaxPathBytes),
            Gen.Long[0, long.MaxValue], Gen.UInt, Gen.Long, Gen.OneOf<FileHashAlgorithm>(FileHashAlgorithm.XXH128, FileHashAlgorithm.SHA256));

    private static readonly Gen<byte[]> SenderStream = Gen.Select(Gen.Byte[0, 3], Header.Array[0, 3], (version, headers) =>
    {
        var s = new MemoryStream();
        FileTransferProtocol.WriteHello(s, 0, version);
        foreach (var h in headers) FileTransferProtocol.WriteFileHeader(s, h.Path, h.Size, h.Mode, h.MTime, h.Algorithm);
        s.WriteByte(FileTransferProtocol.End);
        return s.ToArray();
    });

    // The receiver's reading of a sender's frames (FileReceiver.Run without the files): hello, then 'F' headers until 'E'.
    internal static int ReadAsReceiver(Stream s)
    {
        (byte version, _) = FileTransferProtocol.ReadHello(s);
        int headers = 0;
        while (true)
        {
            int type = s.ReadByte();
            if (type < 0 || type == FileTransferProtocol.End) return headers;
            if (type != FileTransferProtocol.File) throw FileTransferProtocol.Protocol($"unexpected message '{(char)type}'");
            FileTransferProtocol.ReadFileHeader(s, version);
            headers++;
        }
    }

    [Fact]
    public void File_frames_from_a_sender_fail_only_as_protocol_errors()
    {
        Mutated(SenderStream).Sample(bytes =>
        {
            try
            {
                ReadAsReceiver(new MemoryStream(bytes));
            }
            catch (NsockException e) when (e.Kind == NsockErrorKind.Io)
            {
            }
        }, iter: Samples, threads: 1);
    }

    [Fact]
    public void File_header_reads_back_as_written()
    {
        Gen.Select(Gen.Byte[1, 2], Header).Sample((version, h) =>
        {
            var s = new MemoryStream();
            FileTransferProtocol.WriteFileHeader(s, h.Path, h.Size, h.Mode, h.MTime, h.Algorithm);
            s.Position = 0;
            Assert.Equal(FileTransferProtocol.File, s.ReadByte());
            (string path, long size, uint mode, long mtime, FileHashAlgorithm? algorithm, _) = FileTransferProtocol.ReadFileHeader(s, 2);
            Assert.Equal((h.Path, h.Size, h.Mode, h.MTime, (FileHashAlgorithm?)h.Algorithm), (path, size, mode, mtime, algorithm));
            Assert.Equal(s.Length, s.Position);
        }, iter: Samples, threads: 1);
    }

    [Fact]
    public void File_header_writer_refuses_a_name_the_reader_would_refuse()
    {
        Gen.Int[FileTransferProtocol.MaxPathBytes + 1, 70000].Sample(length =>
        {
            NsockException e = Assert.Throws<NsockException>(() => FileTransferProtocol.WriteFileHeader(new MemoryStream(), new string('a', length), 1, 0, 0, FileHashAlgorithm.XXH128));
            Assert.Contains($"{length} bytes", e.Message);
        }, iter: 200, threads: 1);
    }

    // ---- file transfer: what a receiver answers, as the sender reads it ----

    private static readonly Gen<(byte Code, string? Reason, long? Number)> Answer = Gen.OneOf<(byte Code, string? Reason, long? Number)>(
        Gen.Long.Select(n => (FileTransferProtocol.Accept, (string?)null, (long?)n)),
        Gen.Const((FileTransferProtocol.Verified, (string?)null, (long?)null)),
        Gen.Select(Gen.OneOf<byte>(FileTransferProtocol.Skip, FileTransferProtocol.Refuse, FileTransferProtocol.Failed), Text, (c, r) => (c, (string?)r, (long?)null)));

    private static readonly Gen<byte[]> ReceiverStream = Gen.Select(Gen.Byte[0, 2], Answer.Array[0, 4], (status, answers) =>
    {
        var s = new MemoryStream();
        FileTransferProtocol.WriteHello(s, status);
        foreach (var a in answers) FileTransferProtocol.WriteCode(s, a.Code, a.Reason, a.Number);
        return s.ToArray();
    });

    // The sender's reading of a receiver's answers (FileSender without the files): hello, then answers and verdicts.
    internal static int ReadAsSender(Stream s)
    {
        FileTransferProtocol.ReadHello(s);
        int answers = 0;
        while (s.Position < s.Length)
        {
            byte code = FileTransferProtocol.ReadCode(s, "receiver's answer");
            switch (code)
            {
                case FileTransferProtocol.Accept: FileTransferProtocol.ReadNumber(s, "resume offset"); break;
                case FileTransferProtocol.Skip or FileTransferProtocol.Refuse or FileTransferProtocol.Failed: FileTransferProtocol.ReadReason(s); break;
                case FileTransferProtocol.Verified: break;
                default: throw FileTransferProtocol.Protocol($"unexpected answer '{(char)code}'");
            }
            answers++;
        }
        return answers;
    }

    [Fact]
    public void Answers_from_a_receiver_fail_only_as_protocol_errors()
    {
        Mutated(ReceiverStream).Sample(bytes =>
        {
            try
            {
                ReadAsSender(new MemoryStream(bytes));
            }
            catch (NsockException e) when (e.Kind == NsockErrorKind.Io)
            {
            }
        }, iter: Samples, threads: 1);
    }

    [Fact]
    public void Answers_read_back_as_written_reasons_cut_at_a_whole_character()
    {
        Gen<string> longText = Text.Array[0, 60].Select(t => string.Concat(t));
        Gen.Select(Gen.OneOf<byte>(FileTransferProtocol.Skip, FileTransferProtocol.Refuse, FileTransferProtocol.Failed), longText).Sample((code, reason) =>
        {
            var s = new MemoryStream();
            FileTransferProtocol.WriteCode(s, code, reason);
            s.Position = 0;
            Assert.Equal(code, FileTransferProtocol.ReadCode(s, "answer"));
            string read = FileTransferProtocol.ReadReason(s);
            Assert.True(reason.StartsWith(read, StringComparison.Ordinal), $"read '{read}' is not a prefix of what was written");
            Assert.True(read.Length == reason.Length || read.Length >= 999, $"cut at {read.Length} of {reason.Length}");
            Assert.DoesNotContain('\ufffd', read);
        }, iter: 1000, threads: 1);
    }

    // ---- HTTP responses ----

    private static readonly HttpRequestOptions HttpGet = new() { Url = new Uri("http://127.0.0.1/"), Timeout = TimeSpan.FromSeconds(5) };

    private static readonly Gen<string> Token = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"], 1, 12];

    private static readonly Gen<string> HeaderValue = Gen.String[Gen.Char['\u0021', '\u007e'], 0, 30];

    private sealed record Response(int Status, List<HttpHeader> Headers, byte[] Body, bool Chunked, int[] Cuts);

    private static readonly Gen<Response> ResponseGen = Gen.Select(Gen.Int[200, 599], Gen.Select(Token, HeaderValue).Array[0, 6], Gen.Byte.Array[0, 300], Gen.Bool, Gen.Int[1, 50].Array[0, 8],
        (status, headers, body, chunked, cuts) => new Response(status,
            headers.Where(h => !h.Item1.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                .Select(h => new HttpHeader(h.Item1, h.Item2)).ToList(), status is 204 or 304 ? Array.Empty<byte>() : body, chunked, cuts));

    private static byte[] Wire(Response r)
    {
        var head = new StringBuilder($"HTTP/1.1 {r.Status} Reason\r\n");
        foreach (HttpHeader h in r.Headers) head.Append($"{h.Name}: {h.Value}\r\n");
        head.Append(r.Chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {r.Body.Length}\r\n");
        head.Append("\r\n");
        var s = new MemoryStream();
        s.Write(Encoding.Latin1.GetBytes(head.ToString()));
        if (!r.Chunked)
        {
            s.Write(r.Body);
            return s.ToArray();
        }
        int at = 0, i = 0;
        while (at < r.Body.Length)
        {
            int n = Math.Min(r.Body.Length - at, r.Cuts.Length == 0 ? r.Body.Length : r.Cuts[i++ % r.Cuts.Length]);
            s.Write(Encoding.Latin1.GetBytes($"{n:x}\r\n"));
            s.Write(r.Body, at, n);
            s.Write("\r\n"u8);
            at += n;
        }
        s.Write("0\r\n\r\n"u8);
        return s.ToArray();
    }

    private static Task<HttpResponse> ParseAsync(byte[] wire) =>
        HttpExchange.ReadFromAsync(new MemoryStream(wire), HttpGet, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    [Fact]
    public void Http_responses_read_back_as_written()
    {
        ResponseGen.Sample(r =>
        {
            HttpResponse read = ParseAsync(Wire(r)).GetAwaiter().GetResult();
            Assert.Equal(r.Status, read.Status);
            Assert.Equal("1.1", read.Version);
            Assert.Equal(r.Headers, read.Headers.Take(r.Headers.Count));
            Assert.Equal(r.Body, read.Body);
            Assert.Equal(r.Status is 204 or 304 ? HttpFraming.None : r.Chunked ? HttpFraming.Chunked : HttpFraming.ContentLength, read.Framing);
            Assert.Empty(read.Warnings);
        }, iter: 1500, threads: 1);
    }

    [Fact]
    public void Http_responses_of_any_bytes_fail_only_with_nsock_errors_and_never_hang()
    {
        Gen<byte[]> near = Mutated(ResponseGen.Select(Wire));
        Gen<byte[]> lines = Gen.OneOf<string>("HTTP/1.1 200 OK\r\n", "HTTP/9.9 200 OK\r\n", "Content-Length: 3\r\n", "Content-Length: 99999999999999999999\r\n",
                "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip\r\n", "\r\n", "0\r\n", "ffffffffffffffff\r\n", " folded\r\n", "HTTP/1.1 100 Continue\r\n", "abc", "\n")
            .Array[0, 12].Select(parts => Encoding.Latin1.GetBytes(string.Concat(parts)));
        Gen.OneOf<byte[]>(near, lines).Sample(bytes =>
        {
            try
            {
                ParseAsync(bytes).GetAwaiter().GetResult();
            }
            catch (NsockException)
            {
            }
        }, iter: Samples, threads: 1);
    }

    // ---- endpoints ----

    private static readonly Gen<string> EndpointText = Gen.OneOf<string>("tcp://", "udp://", "unix://", "unix:", "TCP://", "[", "]", ":", "::", "::1", "127.0.0.1",
            "localhost", "host-1.example", "%eth0", "0", "80", "65535", "65536", "/", "//", ".", "..", " ", "a", "ff", "\u00e9", "\0", "-", "_", "1e3", "://")
        .Array[0, 8].Select(parts => string.Concat(parts));

    [Fact]
    public void Endpoints_fail_only_as_bad_input_and_read_back_as_printed()
    {
        Gen.Select(Gen.OneOf<string>(EndpointText, Gen.String), Gen.OneOf<Transport>(Transport.Tcp, Transport.Udp, Transport.Unix)).Sample((text, transport) =>
        {
            Endpoint e;
            try
            {
                e = EndpointParser.Parse(text, transport);
            }
            catch (NsockException x) when (x.Kind == NsockErrorKind.BadInput)
            {
                return;
            }
            Assert.Equal(e, EndpointParser.Parse(e.ToString(), transport));
        }, iter: Samples * 2, threads: 1);
    }

    // ---- UDP ping packets ----

    [Fact]
    public void Ping_packets_read_back_as_built_and_anything_else_is_not_an_answer()
    {
        Gen.Select(Gen.UInt, Gen.UInt, Gen.Int[PingOptions.HeaderSize, 2000], Gen.Byte.Array[0, 20]).Sample((session, sequence, size, payload) =>
        {
            byte[] probe = PingPacket.Build(session, size, payload);
            PingPacket.WriteSequence(probe, sequence);
            Assert.Equal(size, probe.Length);
            Assert.True(PingPacket.TryRead(probe, session, out uint read));
            Assert.Equal(sequence, read);
            Assert.False(PingPacket.TryRead(probe, session + 1, out _));
            Assert.False(PingPacket.TryRead(probe.AsSpan(0, PingOptions.HeaderSize - 1), session, out _));
        }, iter: Samples, threads: 1);
    }

    [Fact]
    public void Ping_parser_never_throws_on_any_datagram()
    {
        Gen.Select(Gen.Byte.Array[0, 40], Gen.UInt).Sample((datagram, session) =>
        {
            bool answer = PingPacket.TryRead(datagram, session, out uint sequence);
            bool expected = datagram.Length >= 12 && datagram[0] == 'N' && datagram[1] == 'S' && datagram[2] == 'P' && datagram[3] == 'G'
                && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(4)) == session;
            Assert.Equal(expected, answer);
            if (!answer) Assert.Equal(0u, sequence);
        }, iter: Samples, threads: 1);
    }

    // ---- what the properties found, kept as plain tests ----

    [Theory]
    [InlineData("unix://udp://", "udp://")]
    [InlineData("unix:////tmp/s", "//tmp/s")]
    [InlineData("unix://a://b", "a://b")]
    [InlineData("unix:/tmp/s", "/tmp/s")]
    public void Found_unix_paths_that_look_like_a_scheme_or_start_with_two_slashes_print_so_they_parse_back(string text, string path)
    {
        Endpoint e = EndpointParser.Parse(text);

        Assert.Equal(path, e.UnixPath);
        Assert.Equal(e, EndpointParser.Parse(e.ToString()));
    }

    [Fact]
    public void Found_a_reason_cut_at_1000_characters_does_not_split_a_surrogate_pair()
    {
        string reason = new string('r', 999) + "\U0001F600" + "tail";
        var s = new MemoryStream();

        FileTransferProtocol.WriteCode(s, FileTransferProtocol.Refuse, reason);
        s.Position = 1;

        Assert.Equal(new string('r', 999), FileTransferProtocol.ReadReason(s));
    }
}
