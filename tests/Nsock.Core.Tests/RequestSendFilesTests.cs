using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

// The rules of sending files (nsock send-file, Send-File), written once in SendFilesRequest and named in each face's spelling.
public sealed class RequestSendFilesTests : IDisposable
{
    // A face's spelling, as the command and the module supply theirs.
    private sealed class Dashes : IOptionNames
    {
        public string Option(NsockOption option) => "-" + option;

        public string Verb(NsockVerb verb) => verb + "-Verb";
    }

    private static readonly IOptionNames s_names = new Dashes();

    private readonly FileTransferFolder _tmp = new("request-files");
    private readonly string _cwd;

    public RequestSendFilesTests()
    {
        _cwd = _tmp.Folder("cwd");
        foreach (string f in new[] { "a.log", "b.log", "notes.txt", "one/same.txt", "two/same.txt" })
            _tmp.File("cwd/" + f, Encoding.ASCII.GetBytes(f));
    }

    public void Dispose() => _tmp.Dispose();

    private SendFilesRequest Request(params string[] paths) => new()
    {
        Target = new ConnectTarget { Host = "127.0.0.1", Port = 9 },
        Paths = paths,
        CurrentFolder = _cwd,
    };

    private static NsockException BadInput(Func<object> validate)
    {
        var e = Assert.Throws<NsockException>(validate);
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        return e;
    }

    [Fact]
    public void Files_connect_within_ten_seconds_and_the_receiver_may_take_sixty_to_answer_by_default()
    {
        SendFilesPlan p = Request("a.log").Validate(s_names);

        Assert.Equal(new Endpoint(Transport.Tcp, "127.0.0.1", 9), p.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(10), p.Options.Connect.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(60), p.Options.Timeout);
        Assert.False(p.Options.Resume);
        Assert.Equal(FileHashAlgorithm.XXH128, p.Options.Hash);
        Assert.False(p.Raw);
        Assert.Null(p.RawOptions);
        FileToSend f = Assert.Single(p.Files);
        Assert.Equal(("a.log", Path.Combine(_cwd, "a.log"), 5L), (f.RelativePath, f.FullPath, f.Size));
    }

    [Fact]
    public void A_given_timeout_bounds_the_connect_and_the_answers_and_zero_is_never()
    {
        SendFilesPlan five = (Request("a.log") with { Target = new ConnectTarget { Host = "127.0.0.1", Port = 9, Timeout = 5 }, Resume = true }).Validate(s_names);
        Assert.Equal(TimeSpan.FromSeconds(5), five.Options.Connect.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), five.Options.Timeout);
        Assert.True(five.Options.Resume);

        SendFilesPlan never = (Request("a.log") with { Target = new ConnectTarget { Host = "127.0.0.1", Port = 9, Timeout = 0 } }).Validate(s_names);
        Assert.Equal(Timeout.InfiniteTimeSpan, never.Options.Connect.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, never.Options.Timeout);
    }

    [Fact]
    public void Files_go_over_a_stream_not_udp_and_a_unix_socket_is_a_stream()
    {
        var e = BadInput(() => (Request("a.log") with { Target = new ConnectTarget { Endpoint = "udp://127.0.0.1:9" } }).Validate(s_names));
        Assert.Equal("files go over a stream (tcp or unix), not UDP", e.Message);
        Assert.Equal(Transport.Unix, (Request("a.log") with { Target = new ConnectTarget { Endpoint = "unix:/tmp/nsock-files.sock" } }).Validate(s_names).Endpoint.Transport);
    }

    [Fact]
    public void Files_are_verified_by_xxh128_unless_sha256_is_asked_for_and_the_words_are_the_requests()
    {
        Assert.Equal(FileHashAlgorithm.XXH128, SendFilesRequest.DefaultHash);
        Assert.Equal(FileHashAlgorithm.SHA256, (Request("a.log") with { Hash = FileHashAlgorithm.SHA256 }).Validate(s_names).Options.Hash);
        Assert.Equal(new[] { "xxh128", "sha256" }, SendFilesRequest.HashNames);
        foreach (string w in new[] { "xxh128", "XXH128", "xxh3", "xxh3-128" }) Assert.Equal(FileHashAlgorithm.XXH128, SendFilesRequest.ParseHash(w, s_names));
        foreach (string w in new[] { "sha256", "SHA256", "Sha256", "sha-256" }) Assert.Equal(FileHashAlgorithm.SHA256, SendFilesRequest.ParseHash(w, s_names));
        Assert.Null(SendFilesRequest.ParseHash(null, s_names));
        Assert.Equal("-Hash takes xxh128 or sha256, not 'md5'", BadInput(() => SendFilesRequest.ParseHash("md5", s_names)!).Message);
        Assert.Equal("-Raw verifies nothing, so it takes no -Hash",
            BadInput(() => (Request("a.log") with { Raw = true, Hash = FileHashAlgorithm.SHA256 }).Validate(s_names)).Message);
    }

    [Fact]
    public void Bad_options_are_named_in_the_face_s_spelling_before_the_paths_are_looked_at()
    {
        SendFilesRequest missing = Request("no-such-file");
        Assert.Equal("-IPv4 and -IPv6 exclude each other: give one",
            BadInput(() => (missing with { Target = missing.Target with { IPv4 = true, IPv6 = true } }).Validate(s_names)).Message);
        Assert.StartsWith("-Timeout must be 0 or a positive number of seconds",
            BadInput(() => (missing with { Target = missing.Target with { Timeout = -1 } }).Validate(s_names)).Message);
        Assert.Equal("give -Host and -Port, or -Endpoint", BadInput(() => (missing with { Target = new ConnectTarget() }).Validate(s_names)).Message);
        Assert.Contains("port 0", BadInput(() => (missing with { Target = new ConnectTarget { Endpoint = "127.0.0.1:0" } }).Validate(s_names)).Message);
        Assert.Equal("-Raw has no resume: the far side is a plain byte sink", BadInput(() => (missing with { Raw = true, Resume = true }).Validate(s_names)).Message);

        // The same checks without any path, for a face whose paths arrive later (the module's pipeline).
        Assert.Equal("-Raw has no resume: the far side is a plain byte sink",
            BadInput(() => (Request() with { Raw = true, Resume = true }).ValidateOptions(s_names)).Message);
        Assert.Equal(new Endpoint(Transport.Tcp, "127.0.0.1", 9), Request().ValidateOptions(s_names));
    }

    [Fact]
    public void Raw_sends_exactly_one_file_and_waits_ten_seconds_for_the_peer()
    {
        SendFilesPlan p = (Request("a.log") with { Raw = true }).Validate(s_names);
        Assert.True(p.Raw);
        Assert.Equal(TimeSpan.FromSeconds(10), p.RawOptions!.ReplyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), p.RawOptions.Connect.Timeout);

        Assert.Equal("-Raw sends exactly one file; these name 2", BadInput(() => (Request("*.log") with { Raw = true }).Validate(s_names)).Message);
        Assert.Equal("-Raw sends exactly one file; these name 2", BadInput(() => (Request("a.log", "b.log") with { Raw = true }).Validate(s_names)).Message);
        Assert.Equal(Timeout.InfiniteTimeSpan, (Request("a.log") with { Raw = true, Target = new ConnectTarget { Host = "127.0.0.1", Port = 9, Timeout = 0 } }).Validate(s_names).RawOptions!.ReplyTimeout);
    }

    [Fact]
    public void A_raw_result_says_every_byte_went_and_nothing_was_verified()
    {
        FileResult r = FileResult.ForRaw("a", new SendResult("x", 10, 0, 0, 2, true));
        Assert.Equal((FileStatus.Sent, false, "raw: not verified"), (r.Status, r.Verified, r.Reason));
        Assert.Equal(5, r.BytesPerSecond);
    }

    [Fact]
    public void A_missing_path_is_named_before_any_glob_and_carries_its_full_path_for_a_face_s_not_found()
    {
        var e = BadInput(() => Request("*.nothing", "no-such-file").Validate(s_names));
        Assert.Equal("'no-such-file' does not exist", e.Message);
        var missing = Assert.IsType<FileNotFoundException>(e.InnerException);
        Assert.Equal(Path.Combine(_cwd, "no-such-file"), missing.FileName);

        var none = BadInput(() => Request("*.nothing").Validate(s_names));
        Assert.Equal("'*.nothing' matches no file", none.Message);
        Assert.Null(none.InnerException);
    }

    [Fact]
    public void Paths_expand_in_order_without_the_excluded_and_names_that_collide_are_refused()
    {
        SendFilesPlan p = (Request("*.log", "notes.txt", "a.log") with { Exclude = new[] { "b.*" } }).Validate(s_names);
        Assert.Equal(new[] { "a.log", "notes.txt" }, p.Files.Select(f => f.RelativePath));

        var e = BadInput(() => Request("one/same.txt", "two/same.txt").Validate(s_names));
        Assert.Contains("would both arrive as 'same.txt'", e.Message);
        Assert.Equal("a path to send is empty", BadInput(() => Request(" ").Validate(s_names)).Message);
    }

    [Fact]
    public void A_face_can_keep_only_the_files_it_says_yes_to_in_order()
    {
        SendFilesPlan p = Request("*.log", "notes.txt").Validate(s_names);
        var asked = new System.Collections.Generic.List<string>();

        SendFilesPlan chosen = p.Only(f =>
        {
            asked.Add(f.RelativePath);
            return f.RelativePath != "b.log";
        });

        Assert.Equal(new[] { "a.log", "b.log", "notes.txt" }, asked);
        Assert.Equal(new[] { "a.log", "notes.txt" }, chosen.Files.Select(f => f.RelativePath));
        Assert.Equal(3, p.Files.Count);
    }

    [Fact]
    public async Task Nothing_is_opened_when_no_file_is_left()
    {
        // A closed port: a connect would fail, so an empty outcome means nothing was opened.
        SendFilesPlan none = (Request("a.log") with { Target = new ConnectTarget { Host = "127.0.0.1", Port = TestLoopback.ClosedTcpPort() } }).Validate(s_names).Only(_ => false);
        SendFilesOutcome o = await none.RunAsync(NullEventSink.Instance, CancellationToken.None).WaitAsync(Limits.Wait);
        Assert.Empty(o.Results);
        Assert.True(o.Succeeded);
    }

    [Fact]
    public async Task Outcome_counts_the_files_that_did_not_arrive_as_an_io_error()
    {
        string dest = _tmp.Folder("recv");
        File.WriteAllText(Path.Combine(dest, "one"), "a file named like the folder");
        await using FileTransferListener receiver = await FileTransferSupport.ReceiverAsync(dest);
        SendFilesRequest request = Request("one", "b.log") with
        {
            Target = new ConnectTarget { Host = "127.0.0.1", Port = receiver.Endpoint.Port, Timeout = Limits.Wait.TotalSeconds },
        };
        var sink = new FileTransferSink();

        SendFilesOutcome o = await request.Validate(s_names).RunAsync(sink, CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Equal(new[] { FileStatus.Refused, FileStatus.Sent }, o.Results.Select(r => r.Status));
        Assert.Equal(o.Results, sink.Of<FileResult>());
        Assert.False(o.Succeeded);
        Assert.Equal(NsockErrorKind.Io, o.Error!.Kind);
        Assert.Equal("1 of 2 files did not arrive", o.Error.Message);
        Assert.Equal("b.log", File.ReadAllText(Path.Combine(dest, "b.log")));
    }

    [Fact]
    public async Task Raw_returns_its_one_result_with_every_byte_handed_over()
    {
        using System.Net.Sockets.Socket listener = TestLoopback.ListenTcp();
        Task<System.Net.Sockets.Socket> accepting = listener.AcceptAsync();
        SendFilesRequest request = Request("notes.txt") with
        {
            Raw = true,
            Target = new ConnectTarget { Host = "127.0.0.1", Port = TestLoopback.PortOf(listener), Timeout = Limits.Wait.TotalSeconds },
        };
        Task<SendFilesOutcome> sending = request.Validate(s_names).RunAsync(NullEventSink.Instance, CancellationToken.None);
        using System.Net.Sockets.Socket peer = await accepting.WaitAsync(Limits.Wait);
        var got = new MemoryStream();
        var buffer = new byte[64];
        int n;
        while ((n = await peer.ReceiveAsync(buffer.AsMemory(), System.Net.Sockets.SocketFlags.None).AsTask().WaitAsync(Limits.Wait)) > 0) got.Write(buffer, 0, n);
        peer.Shutdown(System.Net.Sockets.SocketShutdown.Send);

        SendFilesOutcome o = await sending.WaitAsync(Limits.Wait);

        Assert.Equal("notes.txt", Encoding.ASCII.GetString(got.ToArray()));
        FileResult r = Assert.Single(o.Results);
        Assert.Equal(("notes.txt", 9L, FileStatus.Sent, false), (r.Path, r.Size, r.Status, r.Verified));
        Assert.True(o.Succeeded);
    }
}
