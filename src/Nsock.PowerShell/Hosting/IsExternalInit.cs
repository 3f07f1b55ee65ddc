#if !NET5_0_OR_GREATER
namespace System.Runtime.CompilerServices;

// Lets the netstandard2.0 build (Windows PowerShell 5.1) use records and init accessors: the compiler looks for this
// type by name. .NET 5+ has it, and a second copy there would conflict with the framework's (CS0436).
internal static class IsExternalInit
{
}
#endif
