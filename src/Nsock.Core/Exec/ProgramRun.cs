using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;

namespace Nsock.Core;

// One run of an --exec program for one connection: started with its stdin and stdout as pipes (stderr inherited, so
// it stays local) and NSOCK_PEER set; ended by End, which gives it a grace to exit after its stdin is closed, kills
// it and its children after that, and always waits for it (so it is reaped: no zombies).
internal sealed class ProgramRun : IDisposable
{
    /// <summary>How long after its output ended a connection waits for the other end, and a program for its exit.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private readonly Process _process;

    private ProgramRun(Process process)
    {
        _process = process;
        Input = new ProcessInput(process.StandardInput.BaseStream);
    }

    /// <summary>What the program writes (its stdout).</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>What the program reads (its stdin).</summary>
    public ProcessInput Input { get; }

    /// <summary>Its exit code, once <see cref="End"/> returned.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="argv"/>; fails with an I/O error naming the program.</summary>
    public static ProgramRun Start(IReadOnlyList<string> argv, string peer)
    {
#if NET
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        for (int i = 1; i < argv.Count; i++) start.ArgumentList.Add(argv[i]);
        start.Environment["NSOCK_PEER"] = peer;
        try
        {
            return new ProgramRun(Process.Start(start) ?? throw new InvalidOperationException("no process was started"));
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new NsockException(NsockErrorKind.Io, $"starting {NsockText.Printable(argv[0])}: {e.Message}", e);
        }
#else
        throw NsockException.BadInput("running a program needs PowerShell 7 or the nsock command");
#endif
    }

    /// <summary>Closes its stdin, waits up to <paramref name="grace"/> for it to exit, then kills it and its children; always reaps it.</summary>
    public void End(TimeSpan grace)
    {
        Input.CloseWrite();
        try
        {
#if NET
            if (!_process.WaitForExit((int)grace.TotalMilliseconds)) _process.Kill(entireProcessTree: true);
#else
            if (!_process.WaitForExit((int)grace.TotalMilliseconds)) _process.Kill();
#endif
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        _process.WaitForExit();
    }

    /// <summary>The program line for --exec (split without a shell, found in PATH) or --sh-exec (the shell's -c).</summary>
    public static List<string> Line(string? exec, string? shExec, IOptionNames names)
    {
        if (exec is not null && shExec is not null) throw NsockException.BadInput($"{names.Option(NsockOption.Exec)} and {names.Option(NsockOption.ShExec)} exclude each other: give one");
        if (shExec is not null)
        {
            if (shExec.Trim().Length == 0) throw NsockException.BadInput($"{names.Option(NsockOption.ShExec)} needs a command");
            return Path.DirectorySeparatorChar == '\\' ? new List<string> { "cmd.exe", "/d", "/c", shExec } : new List<string> { "/bin/sh", "-c", shExec };
        }
        return Line(CommandLine.Split(exec!), names);
    }

    /// <summary>The program line from its words as given (no splitting, no shell): the program found in PATH.</summary>
    public static List<string> Line(IReadOnlyList<string> argv, IOptionNames names)
    {
        var words = new List<string>(argv);
        if (words.Count == 0 || string.IsNullOrWhiteSpace(words[0])) throw NsockException.BadInput($"{names.Option(NsockOption.Exec)} needs a program");
        foreach (string word in words)
        {
            // A NUL cannot reach a program's argv: refuse it rather than let the OS cut the argument short.
            if (word is null || word.IndexOf('\0') >= 0) throw NsockException.BadInput($"{names.Option(NsockOption.Exec)}: an argument is null or holds a NUL character");
        }
        words[0] = ProgramPath.Find(words[0]) ?? throw NsockException.BadInput(
            $"{names.Option(NsockOption.Exec)}: no program '{NsockText.Printable(words[0])}' (not a file, not found in PATH; {names.Option(NsockOption.ShExec)} runs a shell command line)");
        return words;
    }

    public void Dispose()
    {
        Input.Dispose();
        _process.Dispose();
    }
}
