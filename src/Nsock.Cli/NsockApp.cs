using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Cli;

/// <summary>The nsock command tree, runnable in-process against any <see cref="ConsoleIo"/>.</summary>
internal static class NsockApp
{
    public static RootCommand Build(ConsoleIo io)
    {
        var global = new GlobalOptions();
        var shared = new SharedOptions();
        var root = new RootCommand("nsock: a socket Swiss-army knife. Connect, listen, send, receive and resolve over TCP, UDP and Unix sockets.");
        global.AddTo(root);
        root.Subcommands.Add(new ConnectCommand(global, shared, io));
        root.Subcommands.Add(new ListenCommand(global, shared, io));
        root.Subcommands.Add(new SendCommand(global, shared, io));
        root.Subcommands.Add(new RecvCommand(global, shared, io));
        root.Subcommands.Add(new ResolveCommand(global, shared, io));
        root.Subcommands.Add(new PingCommand(global, shared, io));
        root.Subcommands.Add(new ProbeCommand(global, shared, io));
        root.Subcommands.Add(new HttpCommand(global, shared, io));
        root.Subcommands.Add(new SendFileCommand(global, shared, io));
        root.Subcommands.Add(new ForwardCommand(global, shared, io));
        root.Subcommands.Add(new ConnsCommand(global, shared, io));
        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction action) help.Action = new Examples(action);
            if (option is VersionOption version) version.Action = new VersionAction();
        }
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, ConsoleIo io, CancellationToken ct)
    {
        RootCommand root = Build(io);
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // Usage errors get exit code 2, as with most Unix tools, and a pointer to help.
            foreach (var error in parse.Errors) io.Err.WriteLine("nsock: " + error.Message);
            io.Err.WriteLine($"Try 'nsock {(parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ")}--help'.");
            return ExitCodes.BadInput;
        }
        var config = new InvocationConfiguration { Output = io.Out, Error = io.Err, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(config, ct).ConfigureAwait(false);
    }
}
