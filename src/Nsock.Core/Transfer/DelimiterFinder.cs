namespace Nsock.Core;

// Finds a byte sequence in a stream fed in chunks, across chunk boundaries (Knuth-Morris-Pratt, so a
// self-overlapping delimiter such as "aab" in "aaab" is still found).
internal sealed class DelimiterFinder
{
    private readonly byte[] _pattern;
    private readonly int[] _fallback;
    private int _matched;

    public DelimiterFinder(byte[] pattern)
    {
        _pattern = pattern;
        _fallback = new int[pattern.Length];
        for (int i = 1, k = 0; i < pattern.Length; i++)
        {
            while (k > 0 && pattern[i] != pattern[k]) k = _fallback[k - 1];
            if (pattern[i] == pattern[k]) k++;
            _fallback[i] = k;
        }
    }

    /// <summary>Returns how many bytes of this chunk end with the delimiter's last byte, or -1 if it has not completed.</summary>
    public int Feed(byte[] chunk, int count)
    {
        for (int i = 0; i < count; i++)
        {
            while (_matched > 0 && chunk[i] != _pattern[_matched]) _matched = _fallback[_matched - 1];
            if (chunk[i] == _pattern[_matched]) _matched++;
            if (_matched == _pattern.Length) return i + 1;
        }
        return -1;
    }
}
