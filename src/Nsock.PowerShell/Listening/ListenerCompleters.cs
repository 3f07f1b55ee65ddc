using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Nsock.PowerShell;

/// <summary>Tab completion of -Name for Get-SocketListener and Stop-SocketListener: the names of this session's listeners.</summary>
internal sealed class ListenerNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = new WildcardPattern(ListenerCompletion.Unquote(wordToComplete) + "*", WildcardOptions.IgnoreCase);
        return SocketListener.Sessions.Of(SocketListener.CurrentOwner)
            .Where(l => typed.IsMatch(l.Name))
            .Select(l => new CompletionResult(ListenerCompletion.Quote(l.Name), l.Name, CompletionResultType.ParameterValue, ListenerCompletion.Tip(l)))
            .ToList();
    }
}

/// <summary>Tab completion of -Id for Get-SocketListener and Stop-SocketListener: the ids of this session's listeners.</summary>
internal sealed class ListenerIdCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string typed = ListenerCompletion.Unquote(wordToComplete);
        return SocketListener.Sessions.Of(SocketListener.CurrentOwner)
            .Select(l => (Listener: l, Id: l.Id.ToString(CultureInfo.InvariantCulture)))
            .Where(x => x.Id.StartsWith(typed, System.StringComparison.Ordinal))
            .Select(x => new CompletionResult(x.Id, x.Id + " " + x.Listener.Name, CompletionResultType.ParameterValue, ListenerCompletion.Tip(x.Listener)))
            .ToList();
    }
}

/// <summary>What the listener completers share.</summary>
internal static class ListenerCompletion
{
    public static string Tip(SocketListener l) => $"{l.Name}: {l.Endpoint} ({l.Mode}, {l.State})";

    public static string Unquote(string? word) => (word ?? "").Trim('\'', '"');

    /// <summary>A name as it can be typed: quoted when it has spaces or characters PowerShell would read otherwise.</summary>
    public static string Quote(string name) =>
        name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '*' or '?') ? name : "'" + name.Replace("'", "''") + "'";
}
