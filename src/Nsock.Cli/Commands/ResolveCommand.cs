using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock resolve</c>: every address of a name, like Python's gethostbyname_ex.</summary>
internal sealed class ResolveCommand : NsockCommand
{
    private readonly Argument<string> _host = new("host") { Description = "A host name or address" };

    public ResolveCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("resolve", "Print every address of a name (one per line; -v adds canonical name and aliases)", global, shared, io)
    {
        Add(_host);
    }

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        string name = ctx.Get(_host)!.Trim();
        if (name.Length == 0) throw new NsockException(NsockErrorKind.BadInput, "host is empty");
        HostInfo info = await NameResolver.LookupHostAsync(name, ctx.IpVersion, ctx.Timeout ?? NameResolver.DefaultTimeout, ct).ConfigureAwait(false);
        if (reporter.Json)
        {
            reporter.Emit(info);
            return ExitCodes.Success;
        }
        reporter.Verbose($"canonical name: {info.CanonicalName}");
        reporter.Verbose("aliases: " + (info.Aliases.Count == 0 ? "(none)" : string.Join(", ", info.Aliases)));
        foreach (string address in info.Addresses) Io.Out.WriteLine(address);
        Io.Out.Flush();
        return ExitCodes.Success;
    }
}
