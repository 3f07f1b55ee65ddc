using System.Collections.Generic;
using System.Text;

namespace Nsock.Core;

// --exec "CMD ARGS" split into a program and its arguments without a shell, by the rules a POSIX shell quotes with
// and nothing more: words split on blanks; '...' keeps everything literally; "..." keeps everything but \" and \\;
// a backslash outside quotes keeps the next character. No globbing, no variables, no redirection, no ; or |: those
// are --sh-exec's, on purpose.
internal static class CommandLine
{
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\n')
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                if (end < 0) throw NsockException.BadInput($"unclosed ' in '{NsockText.Printable(text)}'");
                word.Append(text, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                int j = i + 1;
                for (; j < text.Length && text[j] != '"'; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length && text[j + 1] is '"' or '\\') j++;
                    word.Append(text[j]);
                }
                if (j >= text.Length) throw NsockException.BadInput($"unclosed \" in '{NsockText.Printable(text)}'");
                i = j;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
            }
            else
            {
                word.Append(c);
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
