#if !NET
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;

namespace Nsock.PowerShell;

/// <summary>
/// Runs when the module is imported into Windows PowerShell 5.1. .NET Framework has no binding redirects for a
/// module's own dependencies, and the netstandard packages beside the module reference each other at different
/// versions (System.Memory 4.5 wants System.Runtime.CompilerServices.Unsafe 4.0.4.1, and so on); this resolves any of
/// them to the copy already loaded, else to the one in the module's folder. Only the netstandard2.0 build (the
/// Desktop edition's) has it: PowerShell 7 loads the net8.0 build, whose dependencies are the runtime's own.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly string s_folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

    // Import-Module -Force, a second runspace or a nested import runs OnImport again: the handler is added once per process.
    private static int s_registered;

    /// <inheritdoc />
    public void OnImport()
    {
        if (!RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)) return;
        if (Interlocked.Exchange(ref s_registered, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;
    }

    private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
    {
        var wanted = new AssemblyName(args.Name);
        if (wanted.Name is null) return null;
        string path = Path.Combine(s_folder, wanted.Name + ".dll");
        // Only the module's own dependencies: resource lookups and other modules' assemblies are not ours to answer.
        if (!File.Exists(path)) return null;
        // A copy already loaded (by this module or by anyone) is the one to use: a second copy of the same assembly
        // would make its types two different types, and the first one loaded wins the rest of the process anyway.
        return Loaded(wanted.Name) ?? Assembly.LoadFrom(path);
    }

    private static Assembly? Loaded(string name)
    {
        Assembly? best = null;
        foreach (Assembly a in AppDomain.CurrentDomain.GetAssemblies())
        {
            AssemblyName n = a.GetName();
            if (!string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            if (best is null || n.Version > best.GetName().Version) best = a;
        }
        return best;
    }
}
#endif
