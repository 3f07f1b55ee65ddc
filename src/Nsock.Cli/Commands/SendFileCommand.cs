using System.CommandLine;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock send-file</c>: files, folders and globs to <c>nsock listen --receive-files</c>, verified; or one file raw.</summary>
internal static class SendFileCommand
{
    public static Command Create(GlobalOptions global, ConsoleIo io)
    {
        var endpoint = new Argument<string>("endpoint") { Description = "host:port or unix:/path of 'nsock listen --receive-files DIR'" };
        var paths = new Argument<string[]>("paths") { Description = "Files, folders (sent recursively) and globs (**/*.log)", Arity = ArgumentArity.OneOrMore };
        var exclude = new Option<string[]>("--exclude", "-x") { Description = "Leave out files matching this glob (repeatable)" };
        var resume = new Option<bool>("--resume") { Description = "Continue files the receiver holds a partial of; the whole file is still verified" };
        var raw = new Option<bool>("--raw") { Description = "Just the bytes of one file, then a half-close (for 'nc -l > file' on the far side)" };

        var command = new Command("send-file", "Send files, folders and globs, verified by SHA-256 (or one file raw)") { endpoint, paths, exclude, resume, raw };
        command.SetAction((parse, ct) =>
        {
            var ctx = new CommandContext(parse, global, io);
            Reporter reporter = ctx.Reporter(stdoutCarriesData: false);
            return CommandRunner.RunAsync(reporter, async () =>
            {
                var request = new SendFilesRequest
                {
                    Target = ctx.Target(ctx.Get(endpoint)!),
                    Paths = ctx.Get(paths)!,
                    Exclude = ctx.Get(exclude),
                    Resume = ctx.Get(resume),
                    Raw = ctx.Get(raw),
                };
                SendFilesPlan plan = request.Validate(CommandNames.Instance);
                SendFilesOutcome outcome = await plan.RunAsync(reporter, ct).ConfigureAwait(false);
                if (plan.Raw) reporter.Emit(outcome.Results[0]);
                if (outcome.Error is NsockException error) throw error;
                return ExitCodes.Success;
            }, ct);
        });
        return command;
    }
}
