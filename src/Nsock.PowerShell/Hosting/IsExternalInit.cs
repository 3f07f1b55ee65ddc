namespace System.Runtime.CompilerServices;

// Lets netstandard2.0 use records and init accessors (the compiler looks for this type by name).
internal static class IsExternalInit
{
}
