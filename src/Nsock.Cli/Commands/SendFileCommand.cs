using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock send-file</c>: files, folders and globs to <c>nsock listen --receive-files</c>, verified; or one file raw.</summary>
internal sealed class SendFileCommand : NsockCommand
{
    private readonly Argument<string> _endpoint = new("endpoint") { Description = "host:port or unix:/path of 'nsock listen --receive-files DIR'" };
    private readonly Argument<string[]> _paths = new("paths") { Description = "Files, folders (sent recursively) and globs (**/*.log)", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string[]> _exclude = new("--exclude", "-x") { Description = "Leave out files matching this glob (repeatable)" };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue files the receiver holds a partial of; the whole file is still verified" };
    private readonly Option<bool> _raw = new("--raw") { Description = "Just the bytes of one file, then a half-close (for 'nc -l > file' on the far side)" };
    private readonly Option<string> _hash = new("--hash") { Description = "The digest that verifies each file: xxh128 (XXH3-128, the default) or sha256 (as sha256sum prints it)", HelpName = "xxh128|sha256" };

    public SendFileCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("send-file", "Send files, folders and globs, each verified by XXH3-128 or SHA-256 (or one file raw)", global, shared, io)
    {
        Add(_endpoint);
        Add(_paths);
        Add(_exclude);
        Add(_resume);
        Add(_raw);
        Add(_hash);
        Add(Shared.Source);
        Shared.AddTls(this);
        Add(Shared.Proxy);
    }

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        var request = new SendFilesRequest
        {
            Target = Shared.WithTls(ctx, ctx.Target(ctx.Get(_endpoint)!) with { Source = ctx.Get(Shared.Source) }),
            Paths = ctx.Get(_paths)!,
            Exclude = ctx.Get(_exclude),
            Resume = ctx.Get(_resume),
            Raw = ctx.Get(_raw),
            Hash = SendFilesRequest.ParseHash(ctx.Get(_hash), CommandNames.Instance),
        };
        SendFilesPlan plan = request.Validate(CommandNames.Instance);
        reporter.WarnIfInsecure(request.Target.Insecure);
        SendFilesOutcome outcome = await plan.RunAsync(reporter, ct).ConfigureAwait(false);
        if (plan.Raw) reporter.Emit(outcome.Results[0]);
        if (outcome.Error is NsockException error) throw error;
        return ExitCodes.Success;
    }
}
