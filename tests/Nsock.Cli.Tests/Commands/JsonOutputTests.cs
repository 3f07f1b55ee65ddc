using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>--json: every line is one JSON object with "event" first, on stdout unless stdout carries data.</summary>
public class JsonOutputTests
{
    [Fact]
    public async Task An_echo_listener_reports_ready_connected_and_closed_with_byte_counts()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        await Loopback.RoundTripAsync(echo.Port, Encoding.ASCII.GetBytes("0123456789"));
        await echo.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"closed\""));

        List<JsonElement> events = ParseAll(echo.Process.StdOut.Lines);
        Assert.Equal(new[] { "ready", "connected", "closed" }, events.Select(e => e.GetProperty("event").GetString()));
        JsonElement closed = events[2];
        Assert.Equal(1, closed.GetProperty("client").GetInt64());
        Assert.Equal(10, closed.GetProperty("bytesReceived").GetInt64());
        Assert.Equal(10, closed.GetProperty("bytesSent").GetInt64());
        Assert.StartsWith("127.0.0.1:", closed.GetProperty("remote").GetString());
    }

    [Fact]
    public async Task Send_without_reply_puts_connected_and_sent_on_stdout()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{echo.Port}", "abc", "--json");

        Assert.Equal(0, r.ExitCode);
        List<JsonElement> events = ParseAll(r.Out.Split('\n', System.StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(new[] { "connected", "sent" }, events.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal(3, events[1].GetProperty("bytesSent").GetInt64());
        Assert.Equal("tcp", events[0].GetProperty("transport").GetString());
        Assert.Equal("", r.StdErr);
    }

    [Fact]
    public async Task Send_with_reply_keeps_stdout_for_data_and_puts_json_on_stderr()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{echo.Port}", "data only", "--reply", "--json");

        Assert.Equal("data only", r.Out);
        List<JsonElement> events = ParseAll(r.StdErr.Split('\n', System.StringSplitOptions.RemoveEmptyEntries));
        JsonElement sent = events.Single(e => e.GetProperty("event").GetString() == "sent");
        Assert.Equal(9, sent.GetProperty("bytesReceived").GetInt64());
        Assert.True(sent.GetProperty("peerClosed").GetBoolean());
    }

    [Fact]
    public async Task Recv_reports_how_it_ended_as_a_string()
    {
        using var server = Loopback.Serve(async s =>
        {
            await s.SendAsync(Encoding.ASCII.GetBytes("abcdef"));
            await Loopback.ReadToEndAsync(s);
        });

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "-c", "4", "--json");

        Assert.Equal("abcd", r.Out);
        JsonElement received = ParseAll(r.StdErr.Split('\n', System.StringSplitOptions.RemoveEmptyEntries)).Single(e => e.GetProperty("event").GetString() == "received");
        Assert.Equal(4, received.GetProperty("bytes").GetInt64());
        Assert.Equal("ByteLimit", received.GetProperty("end").GetString());
    }

    [Fact]
    public async Task A_failure_is_one_error_event_with_kind_message_and_exit_code()
    {
        int port = FreePort.Closed();

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{port}", "x", "--json");

        Assert.Equal(3, r.ExitCode);
        JsonElement error = ParseAll(r.Out.Split('\n', System.StringSplitOptions.RemoveEmptyEntries)).Single();
        Assert.Equal("error", error.GetProperty("event").GetString());
        Assert.Equal("Refused", error.GetProperty("kind").GetString());
        Assert.Equal(3, error.GetProperty("exitCode").GetInt32());
        Assert.Contains("connection refused", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_event_name_is_the_first_property_of_every_line()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");
        await Loopback.RoundTripAsync(echo.Port, new byte[] { 1 });
        await echo.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"closed\""));

        Assert.All(echo.Process.StdOut.Lines, l => Assert.StartsWith("{\"event\":", l));
    }

    // Only what JSON requires is escaped: a key pin's '+', a host's '<', an 'é' are written as themselves (UTF-8),
    // so grep and jq see the text a person sees; control characters (a terminal escape from a peer) still are.
    [Fact]
    public async Task Text_is_written_as_itself_with_only_quotes_backslashes_and_control_characters_escaped()
    {
        NsockResult r = await Nsock.RunAsync("connect", "a+b<é>\u001b:80", "--json");

        Assert.Equal(2, r.ExitCode);
        string line = r.StdErr.Trim(); // connect's stdout carries data: its JSON is on stderr
        Assert.Contains("'a+b<é>", line);
        Assert.DoesNotContain("\\u002B", line);
        Assert.DoesNotContain("\u001b", line);
        Assert.Contains("\\u001B", line);
        Assert.Contains("a+b<é>\u001b", ParseAll(new[] { line }).Single().GetProperty("message").GetString());
    }

    private static List<JsonElement> ParseAll(IEnumerable<string> lines) =>
        lines.Where(l => l.Trim().Length > 0).Select(l =>
        {
            using JsonDocument doc = JsonDocument.Parse(l);
            return doc.RootElement.Clone();
        }).ToList();
}
