using System;
using System.Text;
using System.Threading;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class TransferResultsTests
{
    [Fact]
    public void Send_result_keeps_the_reply_as_bytes_text_and_for_udp_datagrams()
    {
        var reply = new CaptureStream();
        reply.Write(Encoding.UTF8.GetBytes("ab"), 0, 2);
        reply.Write(Encoding.UTF8.GetBytes("c"), 0, 1);
        var ep = new Endpoint(Transport.Udp, "127.0.0.1", 9);
        SocketSendResult r = TransferResults.Send(new SendResult("127.0.0.1:9", 3, 3, 2, 0.1, true), ep, "127.0.0.1:5000", reply, Encoding.UTF8);
        Assert.Equal("abc", r.ReplyText);
        Assert.Equal(2, r.ReplyDatagrams!.Count);
        Assert.Equal("udp", r.Transport);
        Assert.Equal("127.0.0.1:5000", r.Local);
        Assert.Null(TransferResults.Send(new SendResult("x", 1, 0, 0, 0, true), new Endpoint(Transport.Tcp, "h", 1), null, null, Encoding.UTF8).Reply);
    }
}
