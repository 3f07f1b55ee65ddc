using System;
using System.Threading;
using Nsock.Cli;

using var cts = new CancellationTokenSource();
IDisposable[] signals = Signals.Install(cts);
int code = await NsockApp.InvokeAsync(args, ConsoleIo.System(), cts.Token);
foreach (IDisposable s in signals) s.Dispose();
return code;
