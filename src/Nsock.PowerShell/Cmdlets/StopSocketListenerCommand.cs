using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Stops background listeners of this session: closes every client and the listening socket.</para>
/// <para type="description">Takes listeners by -Id (also from the pipeline: Get-SocketListener | Stop-SocketListener binds their Id) or by -Name. A stopped listener stays listed, State Stopped, with its final counters and unread events (Receive-Job), until Remove-Job removes it, as a stopped job does. Stopping a listener that already ended does nothing. With -PassThru each listener is written after it stopped.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "SocketListener", DefaultParameterSetName = IdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SocketListener))]
public sealed class StopSocketListenerCommand : NsockCmdlet
{
    private const string IdSet = "Id";
    private const string NameSet = "Name";

    /// <summary>Listener ids (their job ids); a listener object piped in binds by its Id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(ListenerIdCompleter))]
    public int[] Id { get; set; } = Array.Empty<int>();

    /// <summary>Listener names (wildcards allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ListenerNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Write each listener once stopped (with its final counters).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Stops the listeners asked for.</summary>
    protected override void ProcessRecord()
    {
        IReadOnlyList<SocketListener> mine = SocketListener.Sessions.Of(SocketListener.CurrentOwner);
        IReadOnlyList<SocketListener> targets;
        if (ParameterSetName == NameSet)
        {
            (targets, IReadOnlyList<string> none) = ListenerLookup.ByName(mine, l => l.Name, Name,
                pattern => new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch, WildcardPattern.ContainsWildcardCharacters);
            foreach (string n in none) WriteError(ListenerNotFound.ForName(n));
        }
        else
        {
            (targets, IReadOnlyList<int> missing) = ListenerLookup.ById(mine, l => l.Id, Id);
            foreach (int id in missing) WriteError(ListenerNotFound.ForId(id));
        }
        foreach (SocketListener l in targets)
        {
            // Already ended (by itself, by -Timeout, or stopped before): nothing to stop, as Stop-Job.
            if (l.State == JobState.Running)
            {
                if (!ShouldProcess($"{l.Id} ({l.Name}): {l.Endpoint} ({l.Mode})", "Stop socket listener")) continue;
                l.StopJob();
                if (l.StillClosing) WriteWarning($"listener {l.Id} ({l.Endpoint}): its clients did not close within {SocketListener.StopGrace.TotalSeconds}s; its socket is closed");
            }
            if (PassThru.IsPresent) WriteObject(l);
        }
    }
}
