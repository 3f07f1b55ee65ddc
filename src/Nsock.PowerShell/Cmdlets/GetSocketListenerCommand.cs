using System;
using System.Collections.Generic;
using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Gets the background listeners of this PowerShell session (New-SocketListener -Background), with their live counters.</para>
/// <para type="description">Without parameters, every background listener this session started, running or ended, until Remove-Job removes it. Listeners are jobs: Get-Job lists them too. Listeners of other sessions (runspaces) are not listed.</para>
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
    [ArgumentCompleter(typeof(ListenerNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Listener ids (their job ids).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(ListenerIdCompleter))]
    public int[] Id { get; set; } = Array.Empty<int>();

    /// <summary>Writes the listeners asked for; an id or name that matches none is an error.</summary>
    protected override void ProcessRecord()
    {
        IReadOnlyList<SocketListener> mine = SocketListener.Sessions.Of(SocketListener.CurrentOwner);
        if (ParameterSetName == IdSet)
        {
            (IReadOnlyList<SocketListener> found, IReadOnlyList<int> missing) = ListenerLookup.ById(mine, l => l.Id, Id);
            foreach (int id in missing) WriteError(ListenerNotFound.ForId(id));
            WriteObject(found, enumerateCollection: true);
            return;
        }
        if (Name is null)
        {
            WriteObject(mine, enumerateCollection: true);
            return;
        }
        (IReadOnlyList<SocketListener> byName, IReadOnlyList<string> none) = ListenerLookup.ByName(mine, l => l.Name, Name,
            pattern => new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch, WildcardPattern.ContainsWildcardCharacters);
        foreach (string n in none) WriteError(ListenerNotFound.ForName(n));
        WriteObject(byName, enumerateCollection: true);
    }
}
