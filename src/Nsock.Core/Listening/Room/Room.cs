using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The clients of one listener that hear each other: the broker, the chat, and the keep-open relay (where only the
// listener's input is heard). Every member gets the chunks in the same order: they are queued under one lock, a
// chunk at a time, never interleaved inside a chunk.
internal sealed class Room
{
    private const int InputBufferSize = 64 * 1024;

    private readonly List<RoomMember> _members = new();
    private int _inputStarted;

    public RoomMember Join(Socket client, long id, SessionRecorder? recorder = null)
    {
        var member = new RoomMember(client, id, recorder);
        lock (_members) _members.Add(member);
        return member;
    }

    public void Leave(RoomMember member)
    {
        lock (_members) _members.Remove(member);
        member.Close();
    }

    /// <summary>The members now (for a chat's "who is here").</summary>
    public List<RoomMember> Members()
    {
        lock (_members) return new List<RoomMember>(_members);
    }

    /// <summary>
    /// Queues the bytes for every member but <paramref name="except"/> without waiting (for callers under a lock of
    /// their own); members left over the bound are added to <paramref name="full"/>, for <see cref="WaitAsync"/> after.
    /// </summary>
    public void Queue(byte[] data, int offset, int count, RoomMember? except, List<RoomMember> full)
    {
        if (count == 0) return;
        SharedChunk chunk = SharedChunk.Copy(data, offset, count);
        try
        {
            lock (_members)
            {
                foreach (RoomMember m in _members)
                {
                    if (ReferenceEquals(m, except)) continue;
                    if (m.Enqueue(chunk)) full.Add(m);
                }
            }
        }
        finally
        {
            chunk.Release();
        }
    }

    /// <summary>Waits for each of <paramref name="full"/> to drain under the bound (or be dropped), and empties the list.</summary>
    public static async Task WaitAsync(List<RoomMember> full)
    {
        if (full.Count == 0) return;
        foreach (RoomMember m in full) await m.WaitForRoomAsync().ConfigureAwait(false);
        full.Clear();
    }

    /// <summary>Queues the bytes for one member.</summary>
    public static void SendTo(RoomMember member, byte[] data, int offset, int count)
    {
        SharedChunk chunk = SharedChunk.Copy(data, offset, count);
        member.Enqueue(chunk);
        chunk.Release();
    }

    /// <summary>
    /// Reads <paramref name="input"/> on a thread of its own, once per room, handing each chunk to
    /// <paramref name="onChunk"/> (and waiting for what it returns: the input goes at the pace of its readers). The end of input is not passed on: clients stay, later ones could never be told.
    /// </summary>
    public void StartInputOnce(Stream? input, Func<byte[], int, Task> onChunk)
    {
        if (input is null || Interlocked.Exchange(ref _inputStarted, 1) != 0) return;
        _ = BlockingThread.RunAsync("nsock input->clients", () =>
        {
            byte[] buffer = new byte[InputBufferSize];
            try
            {
                int n;
                while ((n = input.Read(buffer, 0, buffer.Length)) > 0) onChunk(buffer, n).GetAwaiter().GetResult();
            }
            catch (IOException)
            {
                // Input failed: clients keep being served, they just get nothing more from it.
            }
        });
    }
}
