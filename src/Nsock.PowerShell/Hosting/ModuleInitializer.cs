using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace Nsock.PowerShell;

/// <summary>
/// Runs when the module is imported. Windows PowerShell 5.1 (.NET Framework) has no binding redirects for a
/// module's own dependencies, and the netstandard packages beside the module reference each other at
/// different versions (System.Memory 4.5 wants System.Runtime.CompilerServices.Unsafe 4.0.4.1, and so on); this
/// resolves any of them to the copy in the module's folder. PowerShell 7 never needs it.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static readonly string s_folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

    /// <inheritdoc />
    public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveFromModuleFolder;

    private static Assembly? ResolveFromModuleFolder(object? sender, ResolveEventArgs args)
    {
        string? name = new AssemblyName(args.Name).Name;
        if (name is null) return null;
        string path = Path.Combine(s_folder, name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
