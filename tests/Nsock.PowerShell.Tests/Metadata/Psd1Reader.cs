using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Nsock.PowerShell.Tests;

/// <summary>
/// Reads a PowerShell data file (.psd1) without PowerShell: hashtables <c>@{ k = v; ... }</c> (keys bare or
/// quoted), arrays <c>@( ... )</c> and bare comma lists, single-quoted strings ('' is a quote), double-quoted
/// strings without expansion (backtick escapes), numbers, <c>$true</c>/<c>$false</c>/<c>$null</c>, and
/// <c>#</c> and <c>&lt;# #&gt;</c> comments. Hashtables come back as case-insensitive dictionaries, arrays as
/// lists. Anything else (a script expression, a variable) is an error, as it is for Import-PowerShellDataFile.
/// </summary>
internal sealed class Psd1Reader
{
    private readonly string _s;
    private int _i;

    private Psd1Reader(string text) => _s = text;

    public static object? Parse(string text)
    {
        var r = new Psd1Reader(text);
        object? value = r.Value();
        r.Skip();
        if (r._i != r._s.Length) throw r.Error("text after the value");
        return value;
    }

    private object? Value()
    {
        object? first = Single();
        Skip(newlines: false);
        if (!Peek(',')) return first;
        var list = new List<object?> { first };
        while (Peek(','))
        {
            _i++;
            Skip();
            list.Add(Single());
            Skip(newlines: false);
        }
        return list;
    }

    private object? Single()
    {
        Skip();
        if (At("@{")) return Hashtable();
        if (At("@(")) return Array();
        if (Peek('\'')) return SingleQuoted();
        if (Peek('"')) return DoubleQuoted();
        if (At("$true")) { _i += 5; return true; }
        if (At("$false")) { _i += 6; return false; }
        if (At("$null")) { _i += 5; return null; }
        int start = _i;
        while (_i < _s.Length && (char.IsDigit(_s[_i]) || _s[_i] is '.' or '-' or '+')) _i++;
        string number = _s.Substring(start, _i - start);
        if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
        throw Error("a value (string, number, @{...}, @(...), $true, $false, $null)");
    }

    private Dictionary<string, object?> Hashtable()
    {
        _i += 2;
        var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            Skip();
            if (Peek(';')) { _i++; continue; }
            if (Peek('}')) { _i++; return table; }
            string key = Peek('\'') ? SingleQuoted() : Peek('"') ? DoubleQuoted() : Bare();
            Skip(newlines: false);
            if (!Peek('=')) throw Error($"'=' after key '{key}'");
            _i++;
            if (table.ContainsKey(key)) throw Error($"key '{key}' given twice");
            table[key] = Value();
        }
    }

    private List<object?> Array()
    {
        _i += 2;
        var list = new List<object?>();
        while (true)
        {
            Skip();
            if (Peek(')')) { _i++; return list; }
            if (Peek(',') || Peek(';')) { _i++; continue; }
            list.Add(Single());
        }
    }

    private string Bare()
    {
        int start = _i;
        while (_i < _s.Length && (char.IsLetterOrDigit(_s[_i]) || _s[_i] == '_')) _i++;
        if (_i == start) throw Error("a key");
        return _s.Substring(start, _i - start);
    }

    private string SingleQuoted()
    {
        var sb = new StringBuilder();
        _i++;
        while (true)
        {
            if (_i >= _s.Length) throw Error("the closing '");
            char c = _s[_i++];
            if (c == '\'')
            {
                if (Peek('\'')) { sb.Append('\''); _i++; continue; }
                return sb.ToString();
            }
            sb.Append(c);
        }
    }

    private string DoubleQuoted()
    {
        var sb = new StringBuilder();
        _i++;
        while (true)
        {
            if (_i >= _s.Length) throw Error("the closing \"");
            char c = _s[_i++];
            if (c == '"')
            {
                if (Peek('"')) { sb.Append('"'); _i++; continue; }
                return sb.ToString();
            }
            if (c == '$') throw Error("a string without variables ($ would be expanded)");
            if (c == '`' && _i < _s.Length)
            {
                char e = _s[_i++];
                sb.Append(e switch { 'n' => '\n', 'r' => '\r', 't' => '\t', '0' => '\0', _ => e });
                continue;
            }
            sb.Append(c);
        }
    }

    // Whitespace and comments; a newline ends a bare comma list, so it is skipped only when asked.
    private void Skip(bool newlines = true)
    {
        while (_i < _s.Length)
        {
            char c = _s[_i];
            if (c is ' ' or '\t' || (newlines && c is '\r' or '\n')) { _i++; continue; }
            if (At("<#"))
            {
                int end = _s.IndexOf("#>", _i + 2, StringComparison.Ordinal);
                if (end < 0) throw Error("the end of a <# comment");
                _i = end + 2;
                continue;
            }
            if (c == '#')
            {
                while (_i < _s.Length && _s[_i] != '\n') _i++;
                continue;
            }
            break;
        }
    }

    private bool Peek(char c) => _i < _s.Length && _s[_i] == c;

    private bool At(string s) => string.CompareOrdinal(_s, _i, s, 0, s.Length) == 0;

    private FormatException Error(string expected)
    {
        int line = 1;
        for (int k = 0; k < _i && k < _s.Length; k++) if (_s[k] == '\n') line++;
        return new FormatException($"psd1 line {line}: expected {expected}");
    }
}
