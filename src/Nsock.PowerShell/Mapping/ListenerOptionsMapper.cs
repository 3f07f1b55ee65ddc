using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>New-SocketListener's parameters to ListenerOptions, with the checks and defaults of <c>nsock listen</c>.</summary>
internal static class ListenerOptionsMapper
{
    public static ListenerOptions Map(ListenerParameters p)
    {
        int maxClients = p.MaxClients ?? ListenerOptions.DefaultMaxClients;
        if (maxClients < 1) throw BadInput.Error($"-MaxClients must be at least 1, not {maxClients}");
        if (p.Name is not null && !p.Background) throw BadInput.Error("-Name names a background listener: it applies with -Background");
        if (p.Count is < 1) throw BadInput.Error($"-Count must be at least 1, not {p.Count}");
        int modes = (p.Echo ? 1 : 0) + (p.ReceiveFiles is null ? 0 : 1) + (p.ServeFiles is null ? 0 : 1);
        if (modes > 1) throw BadInput.Error("-Echo, -ReceiveFiles and -ServeFiles exclude each other");
        if ((p.Overwrite || p.MaxBytes is not null || p.Fsync) && p.ReceiveFiles is null)
            throw BadInput.Error("-Overwrite, -MaxBytes and -Fsync apply to -ReceiveFiles");
        if (p.MaxBytes is < 0) throw BadInput.Error($"-MaxBytes must be 0 or more, not {p.MaxBytes}");
        ListenerMode mode = p.Echo ? ListenerMode.Echo : p.ReceiveFiles is not null ? ListenerMode.ReceiveFiles : p.ServeFiles is not null ? ListenerMode.ServeFiles : ListenerMode.Relay;
        if ((p.HasInput || p.SendOnly || p.NoShutdown) && mode != ListenerMode.Relay)
            throw BadInput.Error("-InputObject, -SendOnly and -NoShutdown apply to the relay mode (not with -Echo, -ReceiveFiles or -ServeFiles)");

        // A listener waits as long as its client is there; only an -IdleTimeout given bounds it (0: never), as
        // an explicit --timeout does for `nsock listen`.
        System.TimeSpan? idle = Timeouts.Check(p.IdleTimeout, "-IdleTimeout") is double s && s > 0 ? System.TimeSpan.FromSeconds(s) : null;
        return new ListenerOptions
        {
            Endpoint = EndpointMapper.ForListen(p.Endpoint, p.LocalAddress, p.Port, p.Udp),
            IpVersion = IpVersions.From(p.IPv4, p.IPv6),
            Mode = mode,
            FileDirectory = p.ReceiveFiles ?? p.ServeFiles,
            Overwrite = p.Overwrite,
            MaxBytes = p.MaxBytes,
            SyncFiles = p.Fsync,
            KeepOpen = p.KeepOpen || p.Echo,
            MaxClients = maxClients,
            Count = p.Count,
            Filter = AddressFilter.Parse(p.Allow, p.Deny),
            // Every datagram is an output object (the command reports them with -v or --json).
            ReportDatagrams = true,
            Relay = new RelayOptions
            {
                // Without pipeline input there is nothing to send: only capture what clients send (--recv-only).
                Direction = p.SendOnly ? RelayDirection.SendOnly : p.HasInput ? RelayDirection.Both : RelayDirection.ReceiveOnly,
                ShutdownOnInputEnd = !p.NoShutdown,
                // Pipeline input is never a terminal: keep sending until it ends, as the command does for a pipe.
                StopWhenPeerCloses = false,
                IdleTimeout = idle,
            },
        };
    }
}
