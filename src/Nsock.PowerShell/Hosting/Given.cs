namespace Nsock.PowerShell;

/// <summary>
/// A parameter's value and whether it was given, tracked by the property's own setter (PowerShell calls it only
/// for parameters that are bound), so a cmdlet can tell "not given" (the engine's default applies) from any
/// value without MyInvocation.BoundParameters, and a test can set properties and map a cmdlet without a runspace.
/// </summary>
internal struct Given<T> where T : struct
{
    private T _value;
    private bool _set;

    /// <summary>The value (the type's default until set).</summary>
    public T Value
    {
        readonly get => _value;
        set
        {
            _value = value;
            _set = true;
        }
    }

    /// <summary>The value when it was given, else null.</summary>
    public readonly T? OrNull => _set ? _value : null;
}
