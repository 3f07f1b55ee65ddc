using System;
using System.Text;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class DelimiterFinderTests
{
    [Theory]
    [InlineData("aab", "aaab", 4)]
    [InlineData("aab", "aab", 3)]
    [InlineData("abab", "abababab", 4)]
    [InlineData("abac", "ababac", 6)]
    [InlineData("aaaa", "aaabaaaa", 8)]
    [InlineData("\n", "line\nmore", 5)]
    [InlineData("\r\n\r\n", "a\r\n\r\r\n\r\nb", 8)]
    [InlineData("xyz", "xyxyxz", -1)]
    public void Finds_the_end_of_the_first_match_in_one_chunk(string pattern, string text, int expected)
    {
        var finder = new DelimiterFinder(Encoding.ASCII.GetBytes(pattern));
        byte[] chunk = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, finder.Feed(chunk, chunk.Length));
    }

    [Fact]
    public void Finds_a_self_overlapping_delimiter_fed_one_byte_at_a_time()
    {
        var finder = new DelimiterFinder(Encoding.ASCII.GetBytes("aab"));
        Assert.Equal(-1, finder.Feed(new[] { (byte)'a' }, 1));
        Assert.Equal(-1, finder.Feed(new[] { (byte)'a' }, 1));
        Assert.Equal(-1, finder.Feed(new[] { (byte)'a' }, 1));
        Assert.Equal(1, finder.Feed(new[] { (byte)'b' }, 1));
    }

    [Fact]
    public void Only_the_first_count_bytes_of_a_chunk_are_looked_at()
    {
        var finder = new DelimiterFinder(Encoding.ASCII.GetBytes("ab"));
        byte[] chunk = Encoding.ASCII.GetBytes("xab");
        Assert.Equal(-1, finder.Feed(chunk, 2));
        Assert.Equal(1, finder.Feed(Encoding.ASCII.GetBytes("b"), 1));
    }

    // Any text, any pattern, any chunking: the finder agrees with a plain search of the whole text.
    [Fact]
    public void Agrees_with_a_plain_search_for_random_texts_patterns_and_chunkings()
    {
        var rng = new Random(60);
        for (int round = 0; round < 5000; round++)
        {
            byte[] pattern = RandomAb(rng, rng.Next(1, 6));
            byte[] text = RandomAb(rng, rng.Next(0, 40));
            int expected = text.AsSpan().IndexOf(pattern);
            int expectedEnd = expected < 0 ? -1 : expected + pattern.Length;

            var finder = new DelimiterFinder(pattern);
            int fed = 0, foundEnd = -1;
            while (fed < text.Length)
            {
                int size = rng.Next(1, 8);
                size = Math.Min(size, text.Length - fed);
                byte[] chunk = new byte[size + 3]; // spare bytes past count must be ignored
                Array.Copy(text, fed, chunk, 0, size);
                int r = finder.Feed(chunk, size);
                if (r >= 0)
                {
                    foundEnd = fed + r;
                    break;
                }
                fed += size;
            }
            Assert.True(expectedEnd == foundEnd,
                $"pattern '{Encoding.ASCII.GetString(pattern)}' in '{Encoding.ASCII.GetString(text)}': expected end {expectedEnd}, got {foundEnd}");
        }
    }

    private static byte[] RandomAb(Random rng, int length)
    {
        var b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = rng.Next(2) == 0 ? (byte)'a' : (byte)'b';
        return b;
    }
}
