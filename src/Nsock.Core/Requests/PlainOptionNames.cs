namespace Nsock.Core;

/// <summary>
/// Names for callers that have no front end of their own (the engine's tests, a library user): the option's name
/// in lower case (<c>overwrite</c>, <c>byte-limit</c>) and the verb's.
/// </summary>
public sealed class PlainOptionNames : IOptionNames
{
    /// <summary>The one instance.</summary>
    public static readonly PlainOptionNames Instance = new();

    private PlainOptionNames()
    {
    }

    /// <inheritdoc />
    public string Option(NsockOption option) => Kebab(option.ToString());

    /// <inheritdoc />
    public string Verb(NsockVerb verb) => Kebab(verb.ToString());

    private static string Kebab(string name)
    {
        var b = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1])) b.Append('-');
            b.Append(char.ToLowerInvariant(c));
        }
        return b.ToString();
    }
}
