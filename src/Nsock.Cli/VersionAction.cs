using System;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Nsock.Cli;

/// <summary>
/// --version: "nsock 0.1.0 (commit 0123456789ab, AOT, linux-x64)". A bug report then says which build it was: the
/// version, the commit it was built from (stamped at build time; "-dirty" when the tree had uncommitted changes;
/// "unknown" outside a git checkout), whether it runs natively compiled or on the JIT runtime (the dotnet tool's
/// framework-dependent fallback), and the runtime identifier it runs as.
/// </summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public static string Text
    {
        get
        {
            // Constants written at build time (NsockBuildInfo in the project): the same words as the assembly's
            // InformationalVersion and Commit attributes, without reading them back through reflection at every start.
            string version = BuildInfo.Version.Split('+')[0];
            string commit = BuildInfo.Commit.Length > 0 ? BuildInfo.Commit : "unknown";
            // A JIT has compiled at least this method by now; native AOT has no JIT and counts none. (Not
            // RuntimeFeature.IsDynamicCodeSupported: a plain build of a PublishAot project turns that off to behave like AOT.)
            string runtime = JitInfo.GetCompiledMethodCount() > 0 ? "JIT" : "AOT";
            return $"nsock {version} (commit {commit}, {runtime}, {RuntimeInformation.RuntimeIdentifier})";
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(Text);
        return ExitCodes.Success;
    }
}
