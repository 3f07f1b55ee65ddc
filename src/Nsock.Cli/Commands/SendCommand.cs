using System;
using System.CommandLine;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock send</c>: connect, send text, a file or stdin, half-close, and optionally print the reply.</summary>
internal sealed class SendCommand : NsockCommand
{
    private readonly Argument<string?> _text = new("text") { Description = "Text to send (UTF-8, exactly as given); without it, --file or stdin", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<FileInfo?> _file = new("--file", "-f") { Description = "Send this file (zero-copy where the OS allows)" };
    private readonly Option<bool> _reply = new("--reply", "-r") { Description = "Print what comes back until the peer closes or --timeout passes" };
    private readonly Option<bool> _newline = new("--newline", "-l") { Description = "Append a newline to TEXT" };

    public SendCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("send", "Send text, a file or stdin, then half-close", global, shared, io)
    {
        Add(Shared.Peer);
        Add(_text);
        Add(_file);
        Add(Shared.Udp);
        Add(_reply);
        Add(_newline);
        Add(Shared.Source);
        Add(Shared.Proxy);
        Add(Shared.Crlf);
        Add(Shared.Delay);
        Add(Shared.HexDump);
        Add(Shared.Output);
        Shared.AddTls(this);
    }

    protected override bool StdoutCarriesData(CommandContext ctx) => ctx.Get(_reply);

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        string? message = ctx.Get(_text);
        FileInfo? path = ctx.Get(_file);
        if (message is not null && path is not null) throw new NsockException(NsockErrorKind.BadInput, "give TEXT or --file, not both");
        SendPlan plan = new SendRequest
        {
            Target = Shared.WithTls(ctx, ctx.Target(ctx.Get(Shared.Peer)!, ctx.Get(Shared.Udp)) with { Source = ctx.Get(Shared.Source) }),
            Crlf = ctx.Get(Shared.Crlf),
            Delay = ctx.Get(Shared.Delay),
            HexDumpPath = ctx.Get(Shared.HexDump),
            OutputPath = ctx.Get(Shared.Output),
        }.Validate(CommandNames.Instance);
        reporter.WarnIfInsecure(ctx.Get(Shared.Insecure));

        Stream data = OpenData(message, ctx.Get(_newline), path);
        try
        {
            SendResult result = await plan.RunAsync(data, ctx.Get(_reply) ? Io.StdOut : null, reporter, ct).ConfigureAwait(false);
            reporter.Emit(result);
            return ExitCodes.Success;
        }
        finally
        {
            if (data != Io.StdIn) data.Dispose(); // stdin belongs to the process
        }
    }

    private Stream OpenData(string? message, bool newline, FileInfo? path)
    {
        if (message is not null) return new MemoryStream(Encoding.UTF8.GetBytes(newline ? message + "\n" : message), writable: false);
        if (path is null) return Io.StdIn;
        try
        {
            return new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NsockException(NsockErrorKind.BadInput, $"cannot read --file '{path}': {e.Message}", e);
        }
    }
}
