using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock conns</c>: this machine's sockets as <c>ss -tanp</c> shows them, filtered, or --watch their changes.</summary>
internal sealed class ConnsCommand : NsockCommand
{
    private readonly Option<bool> _listening = new("--listening", "-l") { Description = "Only listening sockets (TCP and Unix listeners, UDP sockets with no peer)" };
    private readonly Option<string> _state = new("--state") { Description = "Only these states: listen,established,syn-sent,syn-recv,fin-wait-1,fin-wait-2,time-wait,close-wait,last-ack,closing,closed,unconnected,connected" };
    private readonly Option<string> _port = new("--port", "-p") { Description = "Only sockets with one of these local or remote ports: 22,80,8000-8100" };
    private readonly Option<string> _pid = new("--pid") { Description = "Only the sockets of these process ids: N[,N]" };
    private readonly Option<bool> _tcp = new("--tcp", "-t") { Description = "TCP sockets (with no protocol given: TCP and UDP)" };
    private readonly Option<bool> _udp = new("--udp", "-u") { Description = "UDP sockets" };
    private readonly Option<bool> _unix = new("--unix", "-x") { Description = "Unix domain sockets (only when asked)" };
    private readonly Option<double?> _watch = new("--watch") { Description = "Look again every SECONDS (default 1) until Ctrl+C: a table redrawn in place on a terminal, else JSON events (listed, opened, closed, state)", Arity = ArgumentArity.ZeroOrOne };

    public ConnsCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("conns", "List this machine's TCP, UDP and Unix sockets with their state, queues and owning process (Linux, Windows)", global, shared, io)
    {
        Add(_listening);
        Add(_state);
        Add(_port);
        Add(_pid);
        Add(_tcp);
        Add(_udp);
        Add(_unix);
        Add(_watch);
    }

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        bool watch = ctx.Given(_watch);
        var request = new ConnectionsRequest
        {
            Listening = ctx.Get(_listening),
            States = Split(ctx.Get(_state)),
            Ports = Ports(ctx.Get(_port)),
            ProcessIds = ProcessIds(ctx.Get(_pid)),
            Tcp = ctx.Get(_tcp),
            Udp = ctx.Get(_udp),
            Unix = ctx.Get(_unix),
            IPv4 = ctx.IPv4,
            IPv6 = ctx.IPv6,
            Interval = watch ? ctx.Get(_watch) : null,
        };
        ConnectionsPlan plan = request.Validate(CommandNames.Instance);
        int? width = Io.StdOutIsTerminal ? TerminalSize(height: false) : null;
        if (!watch)
        {
            IReadOnlyList<SocketConnection> list = plan.List();
            if (reporter.Json)
            {
                foreach (SocketConnection c in list) reporter.Emit(c);
            }
            else
            {
                ConnectionsView.Write(Io.Out, list, null, width);
            }
            return ExitCodes.Success;
        }
        // Piped, or asked for: one JSON event per change, flushed per look, so a script follows as they happen.
        if (reporter.Json || !Io.StdOutIsTerminal)
        {
            Reporter json = reporter.Json ? reporter : new Reporter(Io, json: true, verbose: false, stdoutCarriesData: false);
            await foreach (ConnectionSweep sweep in plan.WatchAsync(ct).ConfigureAwait(false))
            {
                foreach (ConnectionChange change in sweep.Changes) json.Emit(change);
                json.Flush();
            }
            return ExitCodes.Success;
        }
        var screen = new ConnectionsScreen(Io.Out, plan.Interval);
        await foreach (ConnectionSweep sweep in plan.WatchAsync(ct).ConfigureAwait(false))
        {
            screen.Draw(sweep, TerminalSize(height: false), TerminalSize(height: true));
        }
        return ExitCodes.Success;
    }

    private static IReadOnlyList<string> Split(string? text) =>
        text is null ? Array.Empty<string>() : text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);

    // The probe's port syntax (22,80,8000-8100); its messages say which option they are about.
    private static IReadOnlyList<int> Ports(string? text)
    {
        if (text is null) return Array.Empty<int>();
        try
        {
            return PortList.Parse(text);
        }
        catch (NsockException e) when (e.Kind == NsockErrorKind.BadInput)
        {
            throw new NsockException(NsockErrorKind.BadInput, "--port: " + e.Message);
        }
    }

    private static IReadOnlyList<int> ProcessIds(string? text)
    {
        var ids = new List<int>();
        foreach (string part in Split(text))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                throw new NsockException(NsockErrorKind.BadInput, $"--pid '{NsockText.Printable(part)}' is not a process id");
            ids.Add(pid);
        }
        return ids;
    }

    private static int? TerminalSize(bool height)
    {
        try
        {
            int n = height ? Console.WindowHeight : Console.WindowWidth;
            return n > 0 ? n : null;
        }
        catch (Exception e) when (e is System.IO.IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
