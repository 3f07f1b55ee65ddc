using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
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
                Endpoint ep = CommandContext.Endpoint(ctx.Get(endpoint)!, udp: false);
                if (ep.Transport == Transport.Udp) throw new NsockException(NsockErrorKind.BadInput, "files go over a stream (tcp or unix), not UDP");
                Connector.ValidateForConnect(ep);
                IReadOnlyList<FileToSend> files = FileSelection.Expand(ctx.Get(paths)!, ctx.Get(exclude), Directory.GetCurrentDirectory());
                if (ctx.Get(raw))
                {
                    if (files.Count != 1) throw new NsockException(NsockErrorKind.BadInput, $"--raw sends exactly one file; these name {files.Count}");
                    if (ctx.Get(resume)) throw new NsockException(NsockErrorKind.BadInput, "--raw has no resume: the far side is a plain byte sink");
                    var sendOptions = new SendOptions { Connect = ctx.ConnectOptions, ReplyTimeout = ctx.Timeout ?? System.Threading.Timeout.InfiniteTimeSpan };
                    reporter.Emit(await FileSender.SendRawAsync(ep, files[0], sendOptions, reporter, ct).ConfigureAwait(false));
                    return ExitCodes.Success;
                }

                var options = new FileSendOptions
                {
                    Connect = ctx.ConnectOptions,
                    Resume = ctx.Get(resume),
                    Timeout = ctx.ExplicitTimeout ?? new FileSendOptions().Timeout,
                };
                IReadOnlyList<FileResult> results = await FileSender.SendAsync(ep, files, options, reporter, ct).ConfigureAwait(false);
                int failed = results.Count(r => !r.Succeeded);
                if (failed == 0) return ExitCodes.Success;
                reporter.Error(new NsockException(NsockErrorKind.Io, $"{failed} of {results.Count} files did not arrive"), ExitCodes.IoError);
                return ExitCodes.IoError;
            }, ct);
        });
        return command;
    }
}
