using System;
using System.CommandLine;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock send</c>: connect, send text, a file or stdin, half-close, and optionally print the reply.</summary>
internal static class SendCommand
{
    public static Command Create(GlobalOptions global, ConsoleIo io)
    {
        var endpoint = new Argument<string>("endpoint") { Description = "host:port, [v6addr]:port, unix:/path, optionally tcp:// udp:// unix://" };
        var text = new Argument<string?>("text") { Description = "Text to send (UTF-8, exactly as given); without it, --file or stdin", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Send this file (zero-copy where the OS allows)" };
        var udp = new Option<bool>("--udp", "-u") { Description = "Send UDP datagrams (each read of the data is one datagram)" };
        var reply = new Option<bool>("--reply", "-r") { Description = "Print what comes back until the peer closes or --timeout passes" };
        var newline = new Option<bool>("--newline", "-l") { Description = "Append a newline to TEXT" };

        var command = new Command("send", "Send text, a file or stdin, then half-close") { endpoint, text, file, udp, reply, newline };
        command.SetAction((parse, ct) =>
        {
            var ctx = new CommandContext(parse, global, io);
            bool wantReply = ctx.Get(reply);
            Reporter reporter = ctx.Reporter(stdoutCarriesData: wantReply);
            return CommandRunner.RunAsync(reporter, async () =>
            {
                string? message = ctx.Get(text);
                FileInfo? path = ctx.Get(file);
                if (message is not null && path is not null) throw new NsockException(NsockErrorKind.BadInput, "give TEXT or --file, not both");
                SendPlan plan = new SendRequest { Target = ctx.Target(ctx.Get(endpoint)!, ctx.Get(udp)) }.Validate(CommandNames.Instance);

                Stream data = OpenData(message, ctx.Get(newline), path, io);
                try
                {
                    SendResult result = await plan.RunAsync(data, wantReply ? io.StdOut : null, reporter, ct).ConfigureAwait(false);
                    reporter.Emit(result);
                    return ExitCodes.Success;
                }
                finally
                {
                    if (data != io.StdIn) data.Dispose(); // stdin belongs to the process
                }
            }, ct);
        });
        return command;
    }

    private static Stream OpenData(string? message, bool newline, FileInfo? path, ConsoleIo io)
    {
        if (message is not null) return new MemoryStream(Encoding.UTF8.GetBytes(newline ? message + "\n" : message), writable: false);
        if (path is not null)
        {
            try
            {
                return new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new NsockException(NsockErrorKind.BadInput, $"cannot read --file '{path}': {e.Message}", e);
            }
        }
        return io.StdIn;
    }
}
