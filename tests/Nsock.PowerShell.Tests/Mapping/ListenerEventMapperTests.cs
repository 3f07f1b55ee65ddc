using System;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class ListenerEventMapperTests
{
    private static readonly DateTime s_now = new(2025, 1, 1, 12, 0, 0);

    [Fact]
    public void Ready_carries_the_real_port()
    {
        SocketListenerEvent e = ListenerEventMapper.From(new ListenerReady(Transport.Tcp, "127.0.0.1", 40123, "tcp://127.0.0.1:40123"), s_now);
        Assert.Equal("ready", e.Event);
        Assert.Equal(40123, e.Port);
        Assert.Equal("tcp://127.0.0.1:40123", e.Local);
        Assert.Equal(s_now, e.TimeStamp);
    }

    [Fact]
    public void Connections_rejections_datagrams_and_files_keep_their_fields()
    {
        SocketListenerEvent c = ListenerEventMapper.From(new ClientConnected(2, "127.0.0.1:5000", "127.0.0.1:9000"), s_now);
        Assert.Equal(("connected", 2L, "127.0.0.1:5000"), (c.Event, c.Client!.Value, c.Remote));
        SocketListenerEvent closed = ListenerEventMapper.From(new ClientClosed(2, "127.0.0.1:5000", 10, 20, 1.5, "reset"), s_now);
        Assert.Equal((10L, 20L, 1.5, "reset"), (closed.Bytes!.Value, closed.BytesSent!.Value, closed.Seconds!.Value, closed.Detail));
        SocketListenerEvent rejected = ListenerEventMapper.From(new ClientRejected("198.51.100.1:1", "not in the allow list"), s_now);
        Assert.Equal(("rejected", "not in the allow list"), (rejected.Event, rejected.Detail));
        SocketListenerEvent datagram = ListenerEventMapper.From(new DatagramReceived("127.0.0.1:1", 32), s_now);
        Assert.Equal(("datagram", 32L), (datagram.Event, datagram.Bytes!.Value));
        SocketListenerEvent file = ListenerEventMapper.From(new FileResult("a/b.txt", 5, "ab", true, FileStatus.Received, null, 0, 0.1, 50), s_now);
        Assert.Equal(("file", "received: a/b.txt"), (file.Event, file.Detail));
        Assert.IsType<FileResult>(file.Record);
    }

    [Fact]
    public void Data_and_the_end_are_events_too()
    {
        SocketListenerEvent data = ListenerEventMapper.Data(new byte[] { 104, 105 }, "hi", s_now);
        Assert.Equal(("data", 2L, "hi"), (data.Event, data.Bytes!.Value, data.Text));
        SocketListenerEvent stopped = ListenerEventMapper.Stopped(new ListenerResult(3, 1, 0, 0, null), "-Count 3 reached", s_now);
        Assert.Equal("stopped", stopped.Event);
        Assert.Equal(3, stopped.Client);
        Assert.Contains("3 served, 1 rejected", stopped.Detail);
        Assert.Equal("timeout", ListenerEventMapper.Stopped(null, "timeout", s_now).Detail);
    }
}
