using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The TLS library's state of one connection, taken in turns by the reading side (decrypting) and the close_notify
// (see TlsStream for why they must not overlap). A semaphore, not a Monitor: it is not tied to a thread, so the TLS
// listener's bridge holds it across awaits, and the blocking relay threads of the client side use it the same way.
// Whoever holds it lets it go while it waits on the socket (TlsSocketStream): the lock guards the library's state,
// never a network wait. The holder's turn tells the socket stream whose wait it is: only the reading side reads the
// socket, and only the close_notify writes while holding it (a data write never takes it).
internal sealed class TlsStateLock
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _holder; // a TlsTurn

    /// <summary>Takes the lock for <paramref name="turn"/>, blocking (the client relay's threads).</summary>
    public void Enter(TlsTurn turn)
    {
        _turn.Wait();
        Volatile.Write(ref _holder, (int)turn);
    }

    /// <summary>Takes the lock for <paramref name="turn"/> without a thread waiting (no allocation when it is free).</summary>
    public Task EnterAsync(TlsTurn turn)
    {
        Task wait = _turn.WaitAsync();
        if (wait.Status == TaskStatus.RanToCompletion)
        {
            Volatile.Write(ref _holder, (int)turn);
            return wait;
        }
        return Entered(wait, turn);
    }

    private async Task Entered(Task wait, TlsTurn turn)
    {
        await wait.ConfigureAwait(false);
        Volatile.Write(ref _holder, (int)turn);
    }

    public void Exit()
    {
        Volatile.Write(ref _holder, (int)TlsTurn.None);
        _turn.Release();
    }

    /// <summary>Whether the lock is held for <paramref name="turn"/>; asked by that turn's own flow, so the answer is its own.</summary>
    public bool IsHeldFor(TlsTurn turn) => Volatile.Read(ref _holder) == (int)turn;
}
