using System.CommandLine;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock resolve</c>: every address of a name, like Python's gethostbyname_ex.</summary>
internal static class ResolveCommand
{
    public static Command Create(GlobalOptions global, ConsoleIo io)
    {
        var host = new Argument<string>("host") { Description = "A host name or address" };
        var command = new Command("resolve", "Print every address of a name (one per line; -v adds canonical name and aliases)") { host };
        command.SetAction((parse, ct) =>
        {
            var ctx = new CommandContext(parse, global, io);
            Reporter reporter = ctx.Reporter(stdoutCarriesData: false);
            return CommandRunner.RunAsync(reporter, async () =>
            {
                string name = ctx.Get(host)!.Trim();
                if (name.Length == 0) throw new NsockException(NsockErrorKind.BadInput, "host is empty");
                HostInfo info = await NameResolver.LookupHostAsync(name, ctx.IpVersion, ctx.Timeout ?? NameResolver.DefaultTimeout, ct).ConfigureAwait(false);
                if (reporter.Json)
                {
                    reporter.Emit(info);
                    return ExitCodes.Success;
                }
                reporter.Verbose($"canonical name: {info.CanonicalName}");
                reporter.Verbose("aliases: " + (info.Aliases.Count == 0 ? "(none)" : string.Join(", ", info.Aliases)));
                foreach (string address in info.Addresses) io.Out.WriteLine(address);
                io.Out.Flush();
                return ExitCodes.Success;
            }, ct);
        });
        return command;
    }
}
