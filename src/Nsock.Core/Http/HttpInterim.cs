using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>A 1xx response that came before the final one (100 Continue, 103 Early Hints).</summary>
public sealed record HttpInterim(int Status, string Reason, IReadOnlyList<HttpHeader> Headers);
