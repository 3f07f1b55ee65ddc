using System;
using System.Net;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

// New-SocketListener's binding (ListenerBinding) over the engine's ListenRequest, named in PowerShell's words.
public sealed class ListenerBindingTests
{
    [Fact]
    public void Defaults_are_those_of_nsock_listen()
    {
        ListenerOptions o = Serve.Options(new ListenRequest { Port = 0 });
        Assert.True(o.Endpoint.IsAnyHost);
        Assert.Equal(Transport.Tcp, o.Endpoint.Transport);
        Assert.Equal(ListenerMode.Relay, o.Mode);
        Assert.False(o.KeepOpen);
        Assert.Equal(ListenerOptions.DefaultMaxClients, o.MaxClients);
        Assert.Null(o.Count);
        Assert.True(o.Filter.IsOpen);
        Assert.Equal(IpVersion.Any, o.IpVersion);
        // A listener waits as long as its client is there.
        Assert.Null(o.Relay.IdleTimeout);
        Assert.True(o.Relay.ShutdownOnInputEnd);
        Assert.False(o.Relay.StopWhenPeerCloses);
    }

    [Fact]
    public void Without_input_the_relay_only_captures_and_with_input_it_goes_both_ways()
    {
        Assert.Equal(RelayDirection.ReceiveOnly, Serve.Options(new ListenRequest { Port = 0 }).Relay.Direction);
        Assert.Equal(RelayDirection.Both, Serve.Options(new ListenRequest { Port = 0, HasInput = true }).Relay.Direction);
        Assert.Equal(RelayDirection.SendOnly, Serve.Options(new ListenRequest { Port = 0, HasInput = true, SendOnly = true }).Relay.Direction);
        Assert.False(Serve.Options(new ListenRequest { Port = 0, HasInput = true, NoShutdown = true }).Relay.ShutdownOnInputEnd);
    }

    [Fact]
    public void Echo_always_keeps_accepting()
    {
        ListenerOptions o = Serve.Options(new ListenRequest { LocalAddress = "127.0.0.1", Port = 0, Echo = true });
        Assert.Equal(ListenerMode.Echo, o.Mode);
        Assert.True(o.KeepOpen);
        Assert.Equal("127.0.0.1", o.Endpoint.Host);
    }

    [Fact]
    public void Udp_every_datagram_and_files_map_as_the_command_does()
    {
        ListenerOptions udp = Serve.Options(new ListenRequest { Port = 0, Udp = true, Echo = true, ClientCount = 3 });
        Assert.Equal(Transport.Udp, udp.Endpoint.Transport);
        Assert.Equal(3, udp.Count);
        Assert.True(udp.ReportDatagrams);
        ListenerOptions files = Serve.Options(new ListenRequest { Port = 0, ReceiveFiles = "/tmp/in", Overwrite = true, FilesByteLimit = 100 });
        Assert.Equal(ListenerMode.ReceiveFiles, files.Mode);
        Assert.Equal("/tmp/in", files.FileDirectory);
        Assert.True(files.Overwrite);
        Assert.Equal(100, files.MaxBytes);
        Assert.Equal(ListenerMode.ServeFiles, Serve.Options(new ListenRequest { Port = 0, ServeFiles = "/srv" }).Mode);
    }

    [Fact]
    public void Allow_and_deny_become_the_engine_s_filter()
    {
        AddressFilter f = Serve.Options(new ListenRequest { Port = 0, Allow = new[] { "127.0.0.0/8,::1" }, Deny = new[] { "127.0.0.2" } }).Filter;
        Assert.Null(f.RefusalReason(IPAddress.Parse("127.0.0.1")));
        Assert.NotNull(f.RefusalReason(IPAddress.Parse("127.0.0.2")));
        Assert.NotNull(f.RefusalReason(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void Idle_timeout_bounds_the_relay_only_when_given()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), Serve.Options(new ListenRequest { Port = 0, IdleTimeout = 3 }).Relay.IdleTimeout);
        Assert.Null(Serve.Options(new ListenRequest { Port = 0, IdleTimeout = 0 }).Relay.IdleTimeout);
    }

    [Theory]
    [InlineData("maxclients")]
    [InlineData("count")]
    [InlineData("modes")]
    [InlineData("overwrite")]
    [InlineData("maxbytes")]
    [InlineData("input-with-echo")]
    [InlineData("allow")]
    [InlineData("both-families")]
    [InlineData("no-port")]
    public void Bad_combinations_are_bad_input_as_in_the_command(string what)
    {
        var p = new ListenRequest { Port = 0 };
        p = what switch
        {
            "maxclients" => p with { MaxClients = 0 },
            "count" => p with { ClientCount = 0 },
            "modes" => p with { Echo = true, ReceiveFiles = "/tmp" },
            "overwrite" => p with { Overwrite = true },
            "maxbytes" => p with { FilesByteLimit = 5 },
            "input-with-echo" => p with { Echo = true, HasInput = true },
            "allow" => p with { Allow = new[] { "10/8" } },
            "both-families" => p with { IPv4 = true, IPv6 = true },
            _ => p with { Port = null },
        };
        NsockException e = Assert.Throws<NsockException>(() => Serve.Options(p));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        // The cmdlet's words: -MaxClients, never the command's --max-clients.
        Assert.DoesNotContain("--", e.Message);
    }
}
