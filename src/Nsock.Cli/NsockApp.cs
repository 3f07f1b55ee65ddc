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
        var root = new RootCommand("nsock: a socket Swiss-army knife. Connect, listen, send, receive and resolve over TCP, UDP and Unix sockets.");
        global.AddTo(root);
        root.Subcommands.Add(ConnectCommand.Create(global, io));
        root.Subcommands.Add(ListenCommand.Create(global, io));
        root.Subcommands.Add(SendCommand.Create(global, io));
        root.Subcommands.Add(RecvCommand.Create(global, io));
        root.Subcommands.Add(ResolveCommand.Create(global, io));
        root.Subcommands.Add(PingCommand.Create(global, io));
        root.Subcommands.Add(ProbeCommand.Create(global, io));
        root.Subcommands.Add(HttpCommand.Create(global, io));
        root.Subcommands.Add(SendFileCommand.Create(global, io));
        foreach (Option option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction action) help.Action = new Examples(action);
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
