namespace Nsock.Core;

// An output the relay can tell that no more is coming, as it half-closes its socket when the input ends: a forward's
// target socket (its write side is shut down), an --exec program's stdin (closed, so the program reads its end).
internal interface IHalfClosable
{
    void CloseWrite();
}
