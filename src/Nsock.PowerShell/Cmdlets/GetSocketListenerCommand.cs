using System;
using System.Collections.Generic;
using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Gets the background listeners of this PowerShell process (New-SocketListener -Background), with their live counters.</para>
/// <para type="description">Without parameters, every background listener, running or ended, until Stop-SocketListener removes it.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SocketListener", DefaultParameterSetName = NameSet)]
[OutputType(typeof(SocketListener))]
public sealed class GetSocketListenerCommand : NsockCmdlet
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";

    /// <summary>Names given with -Name (wildcards allowed).</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Listener ids.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    public int[] Id { get; set; } = Array.Empty<int>();

    /// <summary>Writes the listeners asked for; an id or name that matches none is an error.</summary>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            (IReadOnlyList<SocketListener> found, IReadOnlyList<int> missing) = ListenerLookup.ById(Id);
            foreach (int id in missing) NotFound($"no socket listener with id {id}", id);
            WriteObject(found, enumerateCollection: true);
            return;
        }
        if (Name is null)
        {
            WriteObject(ListenerRegistry.All(), enumerateCollection: true);
            return;
        }
        (IReadOnlyList<SocketListener> byName, IReadOnlyList<string> none) = ListenerLookup.ByName(Name,
            pattern => new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch, WildcardPattern.ContainsWildcardCharacters);
        foreach (string n in none) NotFound($"no socket listener named '{n}'", n);
        WriteObject(byName, enumerateCollection: true);
    }

    private void NotFound(string message, object target) =>
        WriteError(new ErrorRecord(new NsockException(NsockErrorKind.BadInput, message), "ListenerNotFound", ErrorCategory.ObjectNotFound, target));
}
