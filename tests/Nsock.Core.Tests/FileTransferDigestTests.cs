using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The per-file digest of protocol version 2: XXH3-128 and SHA-256 agree with independent implementations, a flipped
/// bit on the way is caught, and version 1 peers get the documented answer.
/// </summary>
public sealed class FileTransferDigestTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("digest");
    private readonly string _dir;

    public FileTransferDigestTests() => _dir = _tmp.Folder("recv");

    public void Dispose() => _tmp.Dispose();

    // xxHash's sanity buffer (byte i = top byte of PRIME32 * PRIME64^i, as xxhsum's self-test builds it) and the
    // XXH3-128 of its prefixes (seed 0) as the reference xxhsum 0.8.1 prints them (`xxhsum -H2`): every length class
    // of XXH3 (0, 1-3, 4-8, 9-16, 17-128, 129-240, stripes, blocks); 0 and 1 are also upstream's published vectors.
    [Theory]
    [InlineData(0, "99aa06d3014798d86001c324468d497f")]
    [InlineData(1, "a6cd5e9392000f6ac44bdff4074eecdb")]
    [InlineData(3, "20efc49ff02422ea54247382a8d6b94d")]
    [InlineData(4, "970d585ac632bf8e2e7d8d6876a39fe9")]
    [InlineData(8, "47a7f080d82bb45664c69cab4bb21dc5")]
    [InlineData(9, "564ef6078950d457ed7ccbc501eb7501")]
    [InlineData(16, "c68c368ecf8a9c05562980258a998629")]
    [InlineData(17, "955fa78643ed3669abbc12d11973d7db")]
    [InlineData(128, "39992220e045260aebb15e34a7fb5ab1")]
    [InlineData(129, "03815fc91f1b30b686c9e3bc8f0a3b5c")]
    [InlineData(240, "aa4202daa2769dc85c9aae94c8ebe5a0")]
    [InlineData(241, "99a80ecf0ecfc647c5a639ecd2030e5e")]
    [InlineData(1024, "0d30d24071c64c57dd85c9b5c1109c5c")]
    [InlineData(2240, "ccb134fbfa7ce49d6e73a90539cf2948")]
    [InlineData(2241, "64a1592c03f3b910e800eca585fe92d9")]
    [InlineData(100000, "351330331bc078fb34d658192a014311")]
    public void Xxh128_digest_matches_the_reference_known_answers_in_pieces_of_any_size(int length, string expected)
    {
        byte[] data = SanityBuffer(length);
        foreach (int piece in new[] { 1, 7, 64, 1000, Math.Max(1, length) })
        {
            using FileDigest digest = FileDigest.Create(FileHashAlgorithm.XXH128);
            for (int at = 0; at < length; at += piece) digest.Append(data, at, Math.Min(piece, length - at));
            Assert.Equal(expected, FileHashing.Hex(digest.Finish()));
        }
    }

    [ToolFact("xxhsum")]
    public async Task Xxh128_of_a_received_file_is_what_xxhsum_H2_prints_for_it()
    {
        string source = _tmp.File("send/data.bin", FileTransferSupport.Bytes(9 * 1024 * 1024 + 17, 11));

        (FileResult sent, FileResult received, string dest) = await SendOneAsync(source, FileHashAlgorithm.XXH128);

        string reference = (await RunAsync("xxhsum", "-H2", dest)).Split(' ')[0];
        Assert.Equal((FileHashAlgorithm.XXH128, reference), (sent.Algorithm, sent.Digest));
        Assert.Equal(reference, received.Digest);
    }

    [ToolFact("python3")]
    public async Task Sha256_of_a_received_file_is_what_pythons_hashlib_computes_for_it()
    {
        string source = _tmp.File("send/data.bin", FileTransferSupport.Bytes(9 * 1024 * 1024 + 17, 12));

        (FileResult sent, FileResult received, string dest) = await SendOneAsync(source, FileHashAlgorithm.SHA256);

        string reference = (await RunAsync("python3", "-c", "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", dest)).Trim();
        Assert.Equal((FileHashAlgorithm.SHA256, reference), (sent.Algorithm, sent.Digest));
        Assert.Equal(reference, received.Digest);
        Assert.Equal(reference, sent.Sha256);
    }

    // One bit flipped by a relay between the two is caught by either digest: both sides say failed, and the file
    // never appears under its name (nor does its partial stay, to be resumed).
    [Theory]
    [InlineData(FileHashAlgorithm.XXH128, 100_000)]
    [InlineData(FileHashAlgorithm.SHA256, 100_000)]
    [InlineData(FileHashAlgorithm.XXH128, 12 * 1024 * 1024)]
    [InlineData(FileHashAlgorithm.SHA256, 12 * 1024 * 1024)]
    public async Task A_bit_flipped_on_the_way_fails_the_file_and_it_never_appears_under_its_name(FileHashAlgorithm algorithm, int size)
    {
        string source = _tmp.File("send/data.bin", FileTransferSupport.Bytes(size, 13));
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        // The sender's stream: hello (6), header (1 + 2 + 8 + 8 + 4 + 8 + 1), then the file: flip a bit in its middle.
        long flipAt = 6 + 32 + size / 2;
        await using var relay = BitFlipRelay.Start(listener.Endpoint, flipAt);

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(relay.Endpoint, new[] { FileTransferSupport.Describe(source, "data.bin") }, hash: algorithm));
        FileResult received = Assert.Single(await FileTransferSupport.ReceiverResultsAsync(listener, 1));

        Assert.True(relay.Flipped, "the relay never reached the byte to flip");
        Assert.Equal((FileStatus.Failed, false), (sent.Status, sent.Verified));
        Assert.Equal((FileStatus.Failed, false, algorithm), (received.Status, received.Verified, received.Algorithm));
        Assert.Contains($"{algorithm.ToText()} mismatch", sent.Reason);
        Assert.NotEqual(sent.Digest, received.Digest);
        await listener.FinishedAsync();
        Assert.Empty(FileTransferSupport.Entries(_dir)); // neither data.bin nor its partial
    }

    [Fact]
    public async Task A_version_1_sender_is_still_received_and_verified_by_sha256()
    {
        byte[] content = FileTransferSupport.Bytes(5000, 14);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using (FileProtocolClient old = await FileProtocolClient.ConnectAsync(listener.Endpoint, version: 1))
        {
            (FileAnswer answer, FileAnswer? verdict) = await old.SendFileAsync("old.bin", content); // no digest byte, SHA-256 after
            Assert.Equal(('A', 'V'), (answer.Code, verdict!.Code));
            await old.EndAsync();
        }

        FileResult received = Assert.Single(await FileTransferSupport.ReceiverResultsAsync(listener, 1));
        Assert.Equal((FileStatus.Received, true, FileHashAlgorithm.SHA256, FileTransferSupport.Sha256(content)), (received.Status, received.Verified, received.Algorithm, received.Digest));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_dir, "old.bin")));
    }

    [Fact]
    public async Task A_version_1_receiver_makes_the_send_fail_saying_to_update_nsock_there()
    {
        string source = _tmp.File("send/a.txt", new byte[] { 1, 2, 3 });
        using Socket oldReceiver = Loopback.ListenTcp();
        Task old = Task.Run(async () =>
        {
            // What nsock before version 2 does with a hello of another version: "NSFT 1 1", then it closes.
            using Socket peer = await oldReceiver.AcceptBoundedAsync();
            Assert.Equal(2, (await peer.ReadExactlyAsync(6))[4]);
            await peer.SendAllAsync(new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', 1, 1 });
        });

        var e = await Assert.ThrowsAsync<NsockException>(() => FileTransferSupport.SendAsync(Loopback.Tcp(oldReceiver.Port()), new[] { FileTransferSupport.Describe(source, "a.txt") }));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("speaks only version 1 of the nsock file protocol", e.Message);
        Assert.Contains("update nsock on the receiving side", e.Message);
        await old.WaitAsync(Limits.Wait);
    }

    [Fact]
    public async Task A_digest_the_receiver_does_not_know_refuses_that_file_and_the_session_goes_on()
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        await client.SendAsync(FileProtocolClient.Header("odd.bin", 5, digest: 9));
        FileAnswer answer = await client.ReadAnswerAsync();
        (FileAnswer next, FileAnswer? verdict) = await client.SendFileAsync("good.bin", new byte[] { 1, 2, 3, 4, 5 });
        await client.EndAsync();

        Assert.Equal('N', answer.Code);
        Assert.Contains("digest this receiver does not know", answer.Reason);
        Assert.Equal(('A', 'V'), (next.Code, verdict!.Code));
        Assert.Equal(new[] { "good.bin" }, FileTransferSupport.Entries(_dir));
    }

    private async Task<(FileResult Sent, FileResult Received, string Dest)> SendOneAsync(string source, FileHashAlgorithm algorithm)
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(source, "data.bin") }, hash: algorithm));
        FileResult received = Assert.Single(await FileTransferSupport.ReceiverResultsAsync(listener, 1));
        Assert.True(sent.Verified && received.Verified, $"{sent.Status} {sent.Reason}");
        return (sent, received, Path.Combine(_dir, "data.bin"));
    }

    private static byte[] SanityBuffer(int length)
    {
        const ulong Prime32 = 2654435761UL, Prime64 = 11400714785074694797UL;
        var b = new byte[length];
        ulong gen = Prime32;
        for (int i = 0; i < length; i++)
        {
            b[i] = (byte)(gen >> 56);
            gen *= Prime64;
        }
        return b;
    }

    private static async Task<string> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string output = await p.StandardOutput.ReadToEndAsync().WaitAsync(Limits.Wait);
        await p.WaitForExitAsync().WaitAsync(Limits.Wait);
        Assert.Equal(0, p.ExitCode);
        return output;
    }
}

/// <summary>A fact that needs a program on PATH (Debian: xxhash, python3); skipped, saying which, where it is missing.</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));
        if (!found) Skip = $"'{tool}' is not installed (scripts/test installs it)";
    }
}

/// <summary>
/// A TCP relay on 127.0.0.1 (port 0) to one target for one connection, that flips the lowest bit of the byte at
/// <c>flipAt</c> of the client's stream: corruption no TCP checksum saw. Disposing closes it (bounded).
/// </summary>
internal sealed class BitFlipRelay : IAsyncDisposable
{
    private readonly Socket _listener = Loopback.ListenTcp();
    private readonly CancellationTokenSource _cts = new(Limits.Wait);
    private readonly Task _run;
    private volatile bool _flipped;

    private BitFlipRelay(Endpoint target, long flipAt) => _run = Task.Run(() => RunAsync(target, flipAt));

    public Endpoint Endpoint => Loopback.Tcp(_listener.Port());

    public bool Flipped => _flipped;

    public static BitFlipRelay Start(Endpoint target, long flipAt) => new(target, flipAt);

    private async Task RunAsync(Endpoint target, long flipAt)
    {
        using Socket client = await _listener.AcceptAsync(_cts.Token);
        using Socket server = await Loopback.ConnectAsync(target);
        Task up = PumpAsync(client, server, flipAt);
        Task down = PumpAsync(server, client, -1);
        await Task.WhenAll(up, down);
    }

    private async Task PumpAsync(Socket from, Socket to, long flipAt)
    {
        var buffer = new byte[64 * 1024];
        long position = 0;
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, _cts.Token);
                if (n == 0) break;
                if (flipAt >= position && flipAt < position + n)
                {
                    buffer[flipAt - position] ^= 1;
                    _flipped = true;
                }
                position += n;
                await to.SendAllAsync(buffer.AsMemory(0, n));
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went: the test's assertions say whether that was expected.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        try { await _run.WaitAsync(Limits.Wait); } catch (Exception e) when (e is OperationCanceledException or SocketException) { }
        _listener.Dispose();
        _cts.Dispose();
    }
}
