using System;
using System.Threading;
using Nsock.Cli;

using var cts = new CancellationTokenSource();
IDisposable[] signals = Signals.Install(cts);
ConsoleIo io = ConsoleIo.System();
// Also when a second Ctrl+C or the grace period ends the process: buffered results still reach stdout.
AppDomain.CurrentDomain.ProcessExit += (_, _) => io.Out.Flush();
int code = await NsockApp.InvokeAsync(args, io, cts.Token);
io.Out.Flush();
foreach (IDisposable s in signals) s.Dispose();
return code;
