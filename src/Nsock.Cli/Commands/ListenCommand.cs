using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock listen</c>: accept clients and relay them to stdin/stdout (nc -l), echo them, take UDP datagrams, receive or serve files.</summary>
internal sealed class ListenCommand : NsockCommand
{
    private readonly Argument<string> _endpoint = new("endpoint") { Description = "port, :port (every interface), host:port, [v6addr]:port or unix:/path; port 0 picks a free port" };
    private readonly Option<bool> _keepOpen = new("--keep-open", "-k") { Description = "Keep accepting clients; stdin goes to every connected client" };
    private readonly Option<bool> _echo = new("--echo") { Description = "Send every byte back to its sender (concurrent clients; UDP: answer each datagram)" };
    private readonly Option<DirectoryInfo?> _receiveFiles = new("--receive-files") { Description = "Receive files from 'nsock send-file' into DIR (verified, never half-written)" };
    private readonly Option<DirectoryInfo?> _serve = new("--serve") { Description = "Serve files of DIR: a client sends a name and a newline, gets the bytes" };
    private readonly Option<bool> _overwrite = new("--overwrite") { Description = "With --receive-files: replace existing files" };
    private readonly Option<long?> _maxBytes = new("--max-bytes") { Description = "With --receive-files: accept at most this many bytes of files in all" };
    private readonly Option<double?> _idleTimeout = new("--idle-timeout") { HelpName = "SECONDS", Description = "Close a client that sends nothing and is sent nothing for this many seconds; the listener goes on (0: never)" };
    private readonly Option<bool> _fsync = new("--fsync") { Description = "With --receive-files: flush each file to disk before it is put in place and reported verified" };
    private readonly Option<bool> _broker = new("--broker") { Description = "What a client sends goes to every other client (and stdout); stdin goes to every client (ncat --broker)" };
    private readonly Option<string?> _exec = new("--exec", "-e") { Description = "Run this program for each client, its stdin and stdout the client's stream (no shell: words split, quotes honoured); see the README's warning" };
    private readonly Option<string?> _shExec = new("--sh-exec", "-c") { Description = "Run this command line through /bin/sh -c for each client (cmd.exe /c on Windows); see the README's warning" };
    private readonly Option<bool> _chat = new("--chat") { Description = "A chat room: clients named user<N> (/nick NAME), lines relayed as '<name> text', joins and leaves announced" };

    public ListenCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("listen", "Listen for clients (nc -l), echo them, or receive UDP datagrams", global, shared, io)
    {
        Add(_endpoint);
        Add(Shared.Udp);
        Add(_keepOpen);
        Add(_echo);
        Add(Shared.MaxClients);
        Add(Shared.Count);
        Add(Shared.Allow);
        Add(Shared.Deny);
        Add(Shared.Stats);
        Add(Shared.SendOnly);
        Add(Shared.RecvOnly);
        Add(Shared.NoShutdown);
        Add(_receiveFiles);
        Add(_serve);
        Add(_overwrite);
        Add(_maxBytes);
        Add(_fsync);
        Add(_idleTimeout);
        Add(Shared.HexDump);
        Add(Shared.Output);
        Add(_broker);
        Add(_chat);
        Add(_exec);
        Add(_shExec);
        Shared.AddListenerTls(this);
    }

    /// <summary>The relay and broker put the clients' bytes on stdout, the chat its room (unless --json: then its events); echo and the file modes do not.</summary>
    protected override bool StdoutCarriesData(CommandContext ctx) => IsRelay(ctx) || ctx.Get(_broker) || (ctx.Get(_chat) && !ctx.Json);

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        var request = new ListenRequest
        {
            Endpoint = ctx.Get(_endpoint),
            Udp = ctx.Get(Shared.Udp),
            IPv4 = ctx.IPv4,
            IPv6 = ctx.IPv6,
            Echo = ctx.Get(_echo),
            ReceiveFiles = ctx.Get(_receiveFiles)?.FullName,
            ServeFiles = ctx.Get(_serve)?.FullName,
            Overwrite = ctx.Get(_overwrite),
            FilesByteLimit = ctx.Get(_maxBytes),
            Fsync = ctx.Get(_fsync),
            Broker = ctx.Get(_broker),
            Chat = ctx.Get(_chat),
            Exec = ctx.Get(_exec),
            ShExec = ctx.Get(_shExec),
            KeepOpen = ctx.Get(_keepOpen),
            MaxClients = ctx.Get(Shared.MaxClients),
            ClientCount = ctx.Get(Shared.Count),
            Allow = ctx.Get(Shared.Allow),
            Deny = ctx.Get(Shared.Deny),
            SendOnly = ctx.Get(Shared.SendOnly),
            ReceiveOnly = ctx.Get(Shared.RecvOnly),
            NoShutdown = ctx.Get(Shared.NoShutdown),
            // Only --timeout given explicitly bounds a relay client's silence (0: never); the file modes take it as their silence and phase limit.
            IdleTimeout = ctx.GivenTimeout,
            Statistics = ctx.Given(Shared.Stats),
            StatisticsInterval = ctx.Get(Shared.Stats),
            InteractiveInput = Io.StdInIsTerminal,
            ReportDatagrams = ctx.Verbose || ctx.Json,
            ClientIdleTimeout = ctx.Get(_idleTimeout),
            HexDumpPath = ctx.Get(Shared.HexDump),
            OutputPath = ctx.Get(Shared.Output),
        };
        request = Shared.WithListenerTls(ctx, request);
        ListenPlan plan = request.Validate(CommandNames.Instance);
        bool relay = IsRelay(ctx) || ctx.Get(_broker) || ctx.Get(_chat);
        using Listener listener = await plan.BindAsync(ct).ConfigureAwait(false);
        // SIGUSR1 asks for a report now; registered before the listener is ready, so a signal sent once it is cannot kill the process.
        using System.IDisposable? onUser1 = request.Statistics ? Signals.OnUser1(listener.ReportStatistics) : null;
        ListenerResult result = await listener.RunAsync(relay ? Io.StdIn : null, StdoutCarriesData(ctx) ? Io.StdOut : null, reporter, ct).ConfigureAwait(false);
        return result.Relay?.Error is NsockException error ? CommandRunner.Fail(reporter, error) : ExitCodes.Success;
    }

    private bool IsRelay(CommandContext ctx) => !ctx.Get(_echo) && ctx.Get(_receiveFiles) is null && ctx.Get(_serve) is null && !ctx.Get(_broker) && !ctx.Get(_chat)
        && ctx.Get(_exec) is null && ctx.Get(_shExec) is null;
}
