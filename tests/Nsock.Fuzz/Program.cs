using System;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace Nsock.Fuzz;

/// <summary>
/// Nsock.Fuzz TARGET                 run TARGET under afl-fuzz (SharpFuzz's forkserver; started by scripts/fuzz)
/// Nsock.Fuzz TARGET --replay PATH   run every file under PATH (or PATH itself) through TARGET once, without afl:
///                                   to check a crash or hang afl found, and to turn it into a regular test
/// Nsock.Fuzz --seeds DIR            write each target's starting corpus to DIR/TARGET/
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--seeds") return WriteSeeds(args[1]);
        if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out Action<byte[]>? target))
        {
            Console.Error.WriteLine($"usage: Nsock.Fuzz TARGET [--replay PATH] | --seeds DIR; targets: {string.Join(", ", Targets.All.Keys)}");
            return 2;
        }
        if (args.Length == 3 && args[1] == "--replay") return Replay(target, args[2]);
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target(copy.ToArray());
        });
        return 0;
    }

    private static int Replay(Action<byte[]> target, string path)
    {
        string[] files = Directory.Exists(path) ? Directory.GetFiles(path, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToArray() : new[] { path };
        int failed = 0;
        foreach (string file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
            }
        }
        Console.WriteLine($"{files.Length} inputs, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static int WriteSeeds(string dir)
    {
        foreach ((string target, string name, byte[] bytes) in Targets.Seeds())
        {
            Directory.CreateDirectory(Path.Combine(dir, target));
            File.WriteAllBytes(Path.Combine(dir, target, name), bytes);
        }
        return 0;
    }
}
