using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core.Tests;

/// <summary>A bound <see cref="Listener"/> serving in the background; disposing cancels it and waits (bounded) for it to stop.</summary>
internal sealed class RunningListener : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();

    private RunningListener(Listener listener, ListenerOptions options, Stream? input, Stream? output)
    {
        Listener = listener;
        Options = options;
        Run = listener.RunAsync(input, output, Sink, _cts.Token);
    }

    public Listener Listener { get; }
    public ListenerOptions Options { get; }
    public RecordingSink Sink { get; } = new();
    public Task<ListenerResult> Run { get; }
    public int Port => Listener.Ready.Port;

    /// <summary>Where a client connects: the listener's own host and real port (or its Unix path).</summary>
    public Endpoint Endpoint => Options.Endpoint.Transport == Transport.Unix
        ? Options.Endpoint
        : Options.Endpoint with { Port = Port };

    public static async Task<RunningListener> StartAsync(ListenerOptions options, Stream? input = null, Stream? output = null)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        Listener listener = await Listener.BindAsync(options, cts.Token);
        return new RunningListener(listener, options, input, output);
    }

    public static ListenerOptions Echo(Transport transport = Transport.Tcp, string host = "127.0.0.1") =>
        new() { Endpoint = new Endpoint(transport, host, 0), Mode = ListenerMode.Echo };

    /// <summary>Waits (bounded) for the listener to stop by itself and returns its result.</summary>
    public Task<ListenerResult> FinishedAsync() => Run.WaitAsync(Limits.Wait);

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        try
        {
            await Run.WaitAsync(Limits.Wait);
        }
        catch (OperationCanceledException)
        {
            // The normal way a listener stops.
        }
        finally
        {
            Listener.Dispose();
            _cts.Dispose();
        }
    }
}
