using Nsock.Core;

namespace Nsock.Cli;

/// <summary>A failure as a JSON line: what kind, what happened, and the exit code that follows.</summary>
internal sealed record ErrorReport(string Kind, string Message, int ExitCode) : NsockEvent
{
    public override string Event => "error";
}
