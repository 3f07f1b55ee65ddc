using Xunit;

namespace Nsock.Core.Tests;

// Tests that flip ZeroCopy.EvenToThisHost, a process-wide switch, or count LinuxSplice.Directions, a process-wide
// counter: they run alone, after the others, so one test's "on" is never another's "off" (RelayBufferTests asserted
// "off" while StreamRelayHalfCloseTests had it on: a failure in one full run of 2139) and no other test's splice
// lands in a count.
[CollectionDefinition(nameof(ZeroCopySwitch), DisableParallelization = true)]
public sealed class ZeroCopySwitch
{
}
