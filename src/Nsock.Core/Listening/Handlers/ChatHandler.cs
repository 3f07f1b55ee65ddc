using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The chat (ncat --chat): a line-oriented room on the broker's members. Each client is user<N> (N its number in the
// run) until it says /nick NAME; its lines go to the others as "<name> text", joins, leaves and renames as "* ..."
// lines. Text from clients is decoded as UTF-8 and made printable (NsockText.Printable) before anyone sees it, so no
// client can send terminal escapes or forge a line to the others. The listener's own input lines speak as "server".
internal sealed class ChatHandler : IClientHandler
{
    /// <summary>The longest line relayed whole; the rest of a longer one is left out and its sender told.</summary>
    public const int MaxLineBytes = 8192;

    /// <summary>The longest name /nick takes.</summary>
    public const int MaxNameLength = 32;

    /// <summary>What the listener's own input speaks as (a name no client can take).</summary>
    public const string ListenerName = "server";

    private const int BufferSize = 16 * 1024;

    private readonly Stream? _input;
    private readonly Stream? _output;
    private readonly IEventSink _sink;
    private readonly Room _room = new();
    private readonly Dictionary<string, long> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _say = new();
    private LineSplitter? _inputLines;
    private readonly List<RoomMember> _inputFull = new(); // the input thread's own

    public ChatHandler(Stream? input, Stream? output, IEventSink sink)
    {
        _input = input;
        _output = output;
        _sink = sink;
    }

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        StartInput();
        RoomMember member;
        var full = new List<RoomMember>(); // members this client's lines left over their bound: waited for after each read
        string name = "user" + context.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (_say)
        {
            // Joined under the room's say-lock, so the welcome is the first line it gets, before anyone else's.
            member = _room.Join(client, context.Id);
            _names[name] = context.Id;
            var others = new List<string>();
            foreach (KeyValuePair<string, long> n in _names)
            {
                if (n.Value != context.Id) others.Add(n.Key);
            }
            Tell(member, $"* you are {name} (/nick NAME to change it); here: {(others.Count == 0 ? "nobody else yet" : string.Join(", ", others))}");
            Say($"* {name} joined", except: member, full);
            _sink.Emit(new ChatJoined(context.Id, context.Remote, name));
        }
        await Room.WaitAsync(full).ConfigureAwait(false);

        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long start = Stopwatch.GetTimestamp();
        long received = 0;
        string? error = null;
        using var lines = new LineSplitter(MaxLineBytes, (line, length, cut) => name = OnLine(member, name, line, length, cut, full));
        try
        {
            while (true)
            {
                int n = await SocketIo.ReceiveAsync(client, buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                if (n == 0) break;
                received += n;
                lines.Feed(buffer, 0, n);
                await Room.WaitAsync(full).ConfigureAwait(false);
            }
            lines.End();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "listener stopped";
        }
        catch (Exception e)
        {
            error = SocketErrors.FromIo(e, "chat").Message;
        }
        finally
        {
            _room.Leave(member);
            client.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (member.DroppedReason is string dropped)
        {
            error = dropped;
            context.Sink.Emit(new ClientDropped(context.Id, context.Remote, dropped));
        }
        lock (_say)
        {
            _names.Remove(name);
            string? reason = member.DroppedReason ?? (error == "listener stopped" ? null : error);
            Say(reason is null ? $"* {name} left" : $"* {name} left ({reason})", except: null, full);
            _sink.Emit(new ChatLeft(context.Id, name, reason));
        }
        await Room.WaitAsync(full).ConfigureAwait(false);
        return new ClientOutcome(received, member.Sent, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, error);
    }

    // One line from a client: a /nick or something to say. Returns the client's name after it.
    private string OnLine(RoomMember member, string name, byte[] line, int length, bool cut, List<RoomMember> full)
    {
        string text = Encoding.UTF8.GetString(line, 0, length);
        if (cut) Tell(member, $"* your line was longer than {MaxLineBytes} bytes: the rest of it was left out");
        if (text.StartsWith("/nick", StringComparison.Ordinal) && (text.Length == 5 || text[5] == ' '))
            return Rename(member, name, text.Substring(5).Trim(), full);
        if (text.Length == 0) return name;
        lock (_say)
        {
            Say($"<{name}> {NsockText.Printable(text)}", except: member, full);
            _sink.Emit(new ChatMessage(member.Id, name, text));
        }
        return name;
    }

    private string Rename(RoomMember member, string name, string wanted, List<RoomMember> full)
    {
        if (!IsValidName(wanted))
        {
            Tell(member, $"* a name is 1 to {MaxNameLength} letters, digits, '-', '_' or '.': '{NsockText.Printable(wanted)}' is not one");
            return name;
        }
        lock (_say)
        {
            bool own = string.Equals(wanted, name, StringComparison.OrdinalIgnoreCase);
            // user<N> belongs to client N (it gets it when it joins), and the listener's name to the listener.
            bool reserved = string.Equals(wanted, ListenerName, StringComparison.OrdinalIgnoreCase)
                || (wanted.StartsWith("user", StringComparison.OrdinalIgnoreCase) && wanted.Length > 4 && IsDigits(wanted.Substring(4)) && wanted.Substring(4) != member.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!own && (reserved || _names.ContainsKey(wanted)))
            {
                Tell(member, $"* the name {wanted} is taken");
                return name;
            }
            if (wanted == name) return name;
            _names.Remove(name);
            _names[wanted] = member.Id;
            Say($"* {name} is now {wanted}", except: null, full);
            _sink.Emit(new ChatRenamed(member.Id, name, wanted));
        }
        return wanted;
    }

    private static bool IsValidName(string name)
    {
        if (name.Length is 0 or > MaxNameLength) return false;
        foreach (char c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.')) return false;
        }
        return true;
    }

    private static bool IsDigits(string s)
    {
        foreach (char c in s)
        {
            if (c is < '0' or > '9') return false;
        }
        return s.Length > 0;
    }

    // The listener's input: each line said as "server" (client 0).
    private void StartInput()
    {
        if (_input is null) return;
        LineSplitter inputLines;
        lock (_say)
        {
            if (_inputLines is not null) return;
            inputLines = _inputLines = new LineSplitter(MaxLineBytes, (line, length, _) =>
            {
                string text = Encoding.UTF8.GetString(line, 0, length);
                if (text.Length == 0) return;
                lock (_say)
                {
                    Say($"<{ListenerName}> {NsockText.Printable(text)}", except: null, _inputFull, toOutput: false);
                    _sink.Emit(new ChatMessage(0, ListenerName, text));
                }
            });
        }
        _room.StartInputOnce(_input, (buffer, n) =>
        {
            inputLines.Feed(buffer, 0, n);
            return Room.WaitAsync(_inputFull);
        });
    }

    // A line for everyone in the room but one (and for the output); the caller holds _say, so everyone sees one order.
    private void Say(string line, RoomMember? except, List<RoomMember> full, bool toOutput = true)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        _room.Queue(bytes, 0, bytes.Length, except, full);
        if (toOutput && _output is not null)
        {
            try
            {
                _output.Write(bytes, 0, bytes.Length);
                _output.Flush();
            }
            catch (IOException)
            {
                // Nobody reads the listener's output any more: the room goes on.
            }
        }
    }

    private static void Tell(RoomMember member, string line)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line + "\n");
        Room.SendTo(member, bytes, 0, bytes.Length);
    }
}
