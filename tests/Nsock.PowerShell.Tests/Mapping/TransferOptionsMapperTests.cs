using System;
using System.Text;
using System.Threading;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class TransferOptionsMapperTests
{
    private static TransferParameters Tcp(double? timeout = null) => new() { ComputerName = "127.0.0.1", Port = 9, Timeout = timeout };

    [Fact]
    public void Send_connects_within_ten_seconds_and_waits_ten_for_the_peer_as_nsock_send()
    {
        SendOptions o = TransferOptionsMapper.Send(Tcp());
        Assert.Equal(TimeSpan.FromSeconds(10), o.Connect.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), o.ReplyTimeout);
    }

    [Fact]
    public void A_zero_timeout_never_times_out()
    {
        SendOptions o = TransferOptionsMapper.Send(Tcp(0));
        Assert.Equal(Timeout.InfiniteTimeSpan, o.Connect.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, o.ReplyTimeout);
        Assert.Null(TransferOptionsMapper.Receive(Tcp(0)).IdleTimeout);
    }

    [Fact]
    public void Receive_stops_on_bytes_or_a_delimiter_and_gives_up_after_ten_silent_seconds()
    {
        ReceiveOptions o = TransferOptionsMapper.Receive(new TransferParameters { ComputerName = "h", Port = 1, MaxBytes = 64, Until = new byte[] { 13, 10 } });
        Assert.Equal(64, o.MaxBytes);
        Assert.Equal(new byte[] { 13, 10 }, o.Until);
        Assert.Equal(TimeSpan.FromSeconds(10), o.IdleTimeout);
    }

    [Fact]
    public void Receive_reads_streams_only()
    {
        var e = Assert.Throws<NsockException>(() => TransferOptionsMapper.ReceiveEndpoint(new TransferParameters { Endpoint = "udp://127.0.0.1:9" }));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Equal(Transport.Unix, TransferOptionsMapper.ReceiveEndpoint(new TransferParameters { Endpoint = "unix:/tmp/s" }).Transport);
    }

    [Fact]
    public void Silence_before_the_condition_is_a_timeout_and_an_early_close_an_io_error()
    {
        var idle = new ReceiveOptions { IdleTimeout = TimeSpan.FromSeconds(1) };
        var limited = new ReceiveOptions { MaxBytes = 10, IdleTimeout = TimeSpan.FromSeconds(1) };
        Assert.Equal(NsockErrorKind.TimedOut, TransferOptionsMapper.Outcome(new ReceiveResult(3, 1, ReceiveEnd.IdleTimeout), idle)!.Kind);
        Assert.Contains("the peer to close", TransferOptionsMapper.Outcome(new ReceiveResult(3, 1, ReceiveEnd.IdleTimeout), idle)!.Message);
        Assert.Equal(NsockErrorKind.Io, TransferOptionsMapper.Outcome(new ReceiveResult(3, 1, ReceiveEnd.PeerClosed), limited)!.Kind);
        Assert.Null(TransferOptionsMapper.Outcome(new ReceiveResult(3, 1, ReceiveEnd.PeerClosed), idle));
        Assert.Null(TransferOptionsMapper.Outcome(new ReceiveResult(10, 1, ReceiveEnd.ByteLimit), limited));
    }

    [Fact]
    public void Send_result_keeps_the_reply_as_bytes_text_and_for_udp_datagrams()
    {
        var reply = new CaptureStream();
        reply.Write(Encoding.UTF8.GetBytes("ab"), 0, 2);
        reply.Write(Encoding.UTF8.GetBytes("c"), 0, 1);
        var ep = new Endpoint(Transport.Udp, "127.0.0.1", 9);
        SocketSendResult r = TransferOptionsMapper.ToResult(new SendResult("127.0.0.1:9", 3, 3, 2, 0.1, true), ep, "127.0.0.1:5000", reply, Encoding.UTF8);
        Assert.Equal("abc", r.ReplyText);
        Assert.Equal(2, r.ReplyDatagrams!.Count);
        Assert.Equal("udp", r.Transport);
        Assert.Equal("127.0.0.1:5000", r.Local);
        Assert.Null(TransferOptionsMapper.ToResult(new SendResult("x", 1, 0, 0, 0, true), new Endpoint(Transport.Tcp, "h", 1), null, null, Encoding.UTF8).Reply);
    }
}
