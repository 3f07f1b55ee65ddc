using System;
using System.Collections.Generic;
using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Stops background listeners: closes every client and the listening socket, and forgets them.</para>
/// <para type="description">Takes listeners from the pipeline (Get-SocketListener | Stop-SocketListener), by -Id or by -Name. With -PassThru the stopped listener, with its final counters, is written.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "SocketListener", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SocketListener))]
public sealed class StopSocketListenerCommand : NsockCmdlet
{
    private const string IdSet = "Id";
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    /// <summary>How long a listener may take to close its clients before its socket is closed anyway.</summary>
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(5);

    /// <summary>Listener ids.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    public int[] Id { get; set; } = Array.Empty<int>();

    /// <summary>Listener names (wildcards allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Listeners, e.g. from New-SocketListener -Background or Get-SocketListener.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public SocketListener[] InputObject { get; set; } = Array.Empty<SocketListener>();

    /// <summary>Write each stopped listener (with its final counters).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Stops the listeners asked for.</summary>
    protected override void ProcessRecord()
    {
        IReadOnlyList<SocketListener> targets;
        switch (ParameterSetName)
        {
            case IdSet:
                (targets, IReadOnlyList<int> missing) = ListenerLookup.ById(Id);
                foreach (int id in missing) NotFound($"no socket listener with id {id}", id);
                break;
            case NameSet:
                (targets, IReadOnlyList<string> none) = ListenerLookup.ByName(Name,
                    pattern => new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch, WildcardPattern.ContainsWildcardCharacters);
                foreach (string n in none) NotFound($"no socket listener named '{n}'", n);
                break;
            default:
                targets = InputObject;
                break;
        }
        foreach (SocketListener l in targets)
        {
            if (!ShouldProcess($"{l.Id}: {l.Endpoint} ({l.Mode})", "Stop socket listener")) continue;
            if (!l.Stop(s_grace)) WriteWarning($"listener {l.Id} ({l.Endpoint}) did not finish closing its clients within {s_grace.TotalSeconds}s; its socket is closed");
            ListenerRegistry.Remove(l);
            if (PassThru.IsPresent) WriteObject(l);
        }
    }

    private void NotFound(string message, object target) =>
        WriteError(new ErrorRecord(new NsockException(NsockErrorKind.BadInput, message), "ListenerNotFound", ErrorCategory.ObjectNotFound, target));
}
