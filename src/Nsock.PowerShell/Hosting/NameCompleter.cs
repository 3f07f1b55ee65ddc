using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Nsock.PowerShell;

/// <summary>Tab completion from a fixed list of names (case-insensitive prefix match, in the list's order).</summary>
internal abstract class NameCompleter : IArgumentCompleter
{
    private readonly IReadOnlyList<string> _names;

    /// <summary>Completes from <paramref name="names"/>.</summary>
    protected NameCompleter(IReadOnlyList<string> names) => _names = names;

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = (wordToComplete ?? "").Trim('\'', '"');
        return _names
            .Where(n => n.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}

/// <summary>-Encoding: the names <see cref="EncodingNames"/> knows best (any web name or code page also works).</summary>
internal sealed class EncodingCompleter : NameCompleter
{
    /// <summary>The common names, UTF-8 first (the default).</summary>
    public EncodingCompleter() : base(new[] { "utf8", "ascii", "unicode", "bigendianunicode", "utf32", "latin1" }) { }
}

/// <summary>Get-HttpRaw -Method: the methods of RFC 9110 and PATCH (any token is still accepted).</summary>
internal sealed class HttpMethodCompleter : NameCompleter
{
    /// <summary>The standard methods.</summary>
    public HttpMethodCompleter() : base(new[] { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT" }) { }
}
