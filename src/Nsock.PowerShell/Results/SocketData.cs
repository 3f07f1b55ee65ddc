namespace Nsock.PowerShell;

/// <summary>A piece of what a peer sent, as Receive-SocketData -Stream writes it, the moment it arrived.</summary>
public sealed class SocketData
{
    /// <summary>Creates a data record.</summary>
    public SocketData(string remote, long offset, byte[] data, string text)
    {
        Remote = remote;
        Offset = offset;
        Data = data;
        Text = text;
    }

    /// <summary>The peer that sent it.</summary>
    public string Remote { get; }

    /// <summary>Where these bytes start in everything received from the peer.</summary>
    public long Offset { get; }

    /// <summary>How many bytes.</summary>
    public int Length => Data.Length;

    /// <summary>The bytes.</summary>
    public byte[] Data { get; }

    /// <summary>The bytes decoded with -Encoding (a character split across two pieces is kept whole in the later one).</summary>
    public string Text { get; }

    /// <inheritdoc />
    public override string ToString() => Text;
}
