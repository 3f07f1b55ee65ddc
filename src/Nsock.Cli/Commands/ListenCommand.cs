using System;
using System.CommandLine;
using System.IO;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock listen</c>: accept clients and relay them to stdin/stdout (nc -l), echo them, or take UDP datagrams.</summary>
internal static class ListenCommand
{
    public static Command Create(GlobalOptions global, ConsoleIo io)
    {
        var endpoint = new Argument<string>("endpoint") { Description = "port, :port (every interface), host:port, [v6addr]:port or unix:/path; port 0 picks a free port" };
        var udp = new Option<bool>("--udp", "-u") { Description = "Listen for UDP datagrams" };
        var keepOpen = new Option<bool>("--keep-open", "-k") { Description = "Keep accepting clients; stdin goes to every connected client" };
        var echo = new Option<bool>("--echo") { Description = "Send every byte back to its sender (concurrent clients; UDP: answer each datagram)" };
        var maxClients = new Option<int>("--max-clients") { Description = "Clients served at once; more wait until a slot frees", DefaultValueFactory = _ => ListenerOptions.DefaultMaxClients };
        var count = new Option<long?>("--count", "-n") { Description = "Stop after this many clients (UDP: datagrams)" };
        var allow = new Option<string[]>("--allow") { Description = "Only serve peers in these CIDR blocks (repeatable, comma-separated)", AllowMultipleArgumentsPerToken = false };
        var deny = new Option<string[]>("--deny") { Description = "Refuse peers in these CIDR blocks (repeatable, comma-separated; wins over --allow)" };
        var sendOnly = new Option<bool>("--send-only") { Description = "Only send stdin to the client; discard what it sends" };
        var recvOnly = new Option<bool>("--recv-only") { Description = "Only print what the client sends; stdin is not read" };
        var noShutdown = new Option<bool>("--no-shutdown") { Description = "Do not half-close the client when stdin ends" };
        var receiveFiles = new Option<DirectoryInfo?>("--receive-files") { Description = "Receive files from 'nsock send-file' into DIR (verified, never half-written)" };
        var serve = new Option<DirectoryInfo?>("--serve") { Description = "Serve files of DIR: a client sends a name and a newline, gets the bytes" };
        var overwrite = new Option<bool>("--overwrite") { Description = "With --receive-files: replace existing files" };
        var maxBytes = new Option<long?>("--max-bytes") { Description = "With --receive-files: accept at most this many bytes of files in all" };
        var fsync = new Option<bool>("--fsync") { Description = "With --receive-files: flush each file to disk before it is put in place and reported verified" };

        var command = new Command("listen", "Listen for clients (nc -l), echo them, or receive UDP datagrams")
        {
            endpoint, udp, keepOpen, echo, maxClients, count, allow, deny, sendOnly, recvOnly, noShutdown, receiveFiles, serve, overwrite, maxBytes, fsync,
        };
        command.SetAction((parse, ct) =>
        {
            var ctx = new CommandContext(parse, global, io);
            bool isEcho = ctx.Get(echo);
            DirectoryInfo? receiveDir = ctx.Get(receiveFiles), serveDir = ctx.Get(serve);
            bool relay = !isEcho && receiveDir is null && serveDir is null;
            Reporter reporter = ctx.Reporter(stdoutCarriesData: relay);
            return CommandRunner.RunAsync(reporter, async () =>
            {
                var request = new ListenRequest
                {
                    Endpoint = ctx.Get(endpoint),
                    Udp = ctx.Get(udp),
                    IPv4 = parse.GetValue(global.IPv4),
                    IPv6 = parse.GetValue(global.IPv6),
                    Echo = isEcho,
                    ReceiveFiles = receiveDir?.FullName,
                    ServeFiles = serveDir?.FullName,
                    Overwrite = ctx.Get(overwrite),
                    FilesByteLimit = ctx.Get(maxBytes),
                    Fsync = ctx.Get(fsync),
                    KeepOpen = ctx.Get(keepOpen),
                    MaxClients = ctx.Get(maxClients),
                    ClientCount = ctx.Get(count),
                    Allow = ctx.Get(allow),
                    Deny = ctx.Get(deny),
                    SendOnly = ctx.Get(sendOnly),
                    ReceiveOnly = ctx.Get(recvOnly),
                    NoShutdown = ctx.Get(noShutdown),
                    // Only --timeout given explicitly bounds a relay client's silence (0: never).
                    IdleTimeout = parse.GetResult(global.Timeout) is { Implicit: false } ? parse.GetValue(global.Timeout) : null,
                    InteractiveInput = io.StdInIsTerminal,
                    ReportDatagrams = ctx.Verbose || ctx.Json,
                };
                ListenerOptions options = request.Validate(CommandNames.Instance).Options;

                using Listener listener = await Listener.BindAsync(options, ct).ConfigureAwait(false);
                ListenerResult result = await listener.RunAsync(relay ? io.StdIn : null, relay ? io.StdOut : null, reporter, ct).ConfigureAwait(false);
                if (result.Relay?.Error is NsockException error) return CommandRunner.Fail(reporter, error);
                return ExitCodes.Success;
            }, ct);
        });
        return command;
    }
}
