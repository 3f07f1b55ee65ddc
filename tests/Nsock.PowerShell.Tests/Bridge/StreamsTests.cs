using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>The streams the cmdlets hand to the engine in place of stdin and stdout.</summary>
public sealed class StreamsTests
{
    [Fact]
    public async Task A_read_never_spans_two_pipeline_records()
    {
        var input = new InputRecordStream();
        Assert.True(input.Add(new byte[] { 1, 2, 3 }, CancellationToken.None));
        Assert.True(input.Add(new byte[] { 4 }, CancellationToken.None));
        input.Complete();
        byte[] buffer = new byte[10];
        Assert.Equal(2, input.Read(buffer, 0, 2));
        Assert.Equal(1, await input.ReadAsync(buffer, 0, 10));
        Assert.Equal(1, input.Read(buffer, 0, 10));
        Assert.Equal(4, buffer[0]);
        Assert.Equal(0, input.Read(buffer, 0, 10));
        Assert.Equal(0, input.Read(buffer, 0, 10));
    }

    [Fact]
    public void An_empty_record_is_not_taken_for_the_end_of_the_input()
    {
        var input = InputRecordStream.Of(new[] { Array.Empty<byte>(), new byte[] { 9 } });
        byte[] buffer = new byte[4];
        Assert.Equal(1, input.Read(buffer, 0, 4));
        Assert.Equal(0, input.Read(buffer, 0, 4));
    }

    [Fact]
    public async Task A_read_waits_for_the_next_record()
    {
        var input = new InputRecordStream();
        Task<int> read = Task.Run(() => input.Read(new byte[8], 0, 8));
        await Task.Delay(100);
        Assert.False(read.IsCompleted);
        input.Add(new byte[] { 1, 2 }, CancellationToken.None);
        Assert.Equal(2, await read.WaitAsync(Limits.Wait));
    }

    [Fact]
    public async Task The_pipeline_waits_while_too_much_is_queued_and_goes_on_when_the_engine_reads_or_ends()
    {
        var input = new InputRecordStream();
        Assert.True(input.Add(new byte[InputRecordStream.MaxBufferedBytes], CancellationToken.None));
        Task<bool> add = Task.Run(() => input.Add(new byte[10], CancellationToken.None));
        await Task.Delay(100);
        Assert.False(add.IsCompleted);
        Assert.Equal(1024 * 1024, input.Read(new byte[1024 * 1024], 0, 1024 * 1024));
        Assert.True(await add.WaitAsync(Limits.Wait));

        Task<bool> blocked = Task.Run(() => input.Add(new byte[InputRecordStream.MaxBufferedBytes], CancellationToken.None));
        await Task.Delay(100);
        input.Abort(); // the engine failed or ended: the pipeline must not wait for ever
        Assert.False(await blocked.WaitAsync(Limits.Wait));
    }

    [Fact]
    public void The_output_stream_queues_copies_of_each_write_and_writes_through()
    {
        var sink = new PipelineSink(CancellationToken.None);
        var inner = new MemoryStream();
        var output = new PipelineOutputStream(sink, inner, chunks: true, progress: true);
        byte[] buffer = Encoding.ASCII.GetBytes("hello");
        output.Write(buffer, 0, 5);
        buffer[0] = (byte)'j';
        output.Write(buffer, 0, 2);
        sink.Complete();
        var items = new List<object>();
        while (sink.TryTake(out object? item, 0, CancellationToken.None)) items.Add(item!);
        var chunks = items.OfType<DataChunk>().Select(c => Encoding.ASCII.GetString(c.Data)).ToList();
        Assert.Equal(new[] { "hello", "je" }, chunks);
        Assert.Equal("helloje", Encoding.ASCII.GetString(inner.ToArray()));
        Assert.Equal(7, output.Total);
        Assert.Contains(items, i => i is ByteCount);
    }

    [Fact]
    public void The_capture_keeps_writes_apart_up_to_its_limit_and_counts_the_rest()
    {
        var capture = new CaptureStream(limit: 4);
        capture.Write(new byte[] { 1, 2, 3 }, 0, 3);
        capture.Write(new byte[] { 4, 5, 6 }, 0, 3);
        capture.Write(new byte[] { 7 }, 0, 1);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, capture.ToArray());
        Assert.Equal(2, capture.Segments.Count);
        Assert.Equal(7, capture.Total);
        Assert.True(capture.Truncated);
    }

    [Fact]
    public async Task Each_pipeline_record_is_one_udp_datagram_and_each_reply_datagram_is_kept_apart()
    {
        BackgroundListener echo = await Serve.BackgroundAsync(new ListenRequest { Udp = true, Echo = true });
        try
        {
            var input = new InputRecordStream();
            foreach (string s in new[] { "one", "two", "three" }) input.Add(Encoding.ASCII.GetBytes(s), CancellationToken.None);
            input.Complete();
            var reply = new CaptureStream();
            SendPlan plan = new SendRequest { Target = new ConnectTarget { Host = "127.0.0.1", Port = echo.Port, Udp = true, Timeout = Limits.Wait.TotalSeconds } }.Validate(ParameterNames.Instance);
            using var cts = new CancellationTokenSource(Limits.Wait);
            SendResult r = await plan.RunAsync(input, reply, NullEventSink.Instance, cts.Token);
            Assert.Equal(3, r.Datagrams);
            Assert.True(r.PeerClosed);
            Assert.Equal(new[] { "one", "three", "two" }, reply.Segments.Select(s => Encoding.ASCII.GetString(s)).OrderBy(s => s, StringComparer.Ordinal));
            Assert.True(Serve.Eventually(() => echo.Datagrams == 3));
        }
        finally
        {
            echo.Stop(Limits.Wait);
        }
    }
}
