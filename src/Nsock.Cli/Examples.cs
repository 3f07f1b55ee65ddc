using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Nsock.Cli;

/// <summary>Adds an Examples section to --help: the fastest way to learn a command is to see it used.</summary>
internal sealed class Examples : SynchronousCommandLineAction
{
    private static readonly Dictionary<string, string[]> s_examples = new()
    {
        ["nsock"] = new[]
        {
            "nsock listen 127.0.0.1:9000 --echo          # a TCP echo server",
            "nsock connect 127.0.0.1:9000                # talk to it (Ctrl+D half-closes)",
            "nsock send 127.0.0.1:9000 hello --reply      # send, half-close, print the answer",
            "nsock resolve localhost",
        },
        ["connect"] = new[]
        {
            "nsock connect example.test:80 < request.txt > response.bin",
            "nsock connect [::1]:9000 -6",
            "nsock connect udp://127.0.0.1:9999          # each line typed is one datagram",
            "nsock connect unix:/run/app.sock --recv-only",
        },
        ["listen"] = new[]
        {
            "nsock listen 9000 > upload.bin                 # nc -l: one client, to stdout",
            "nsock listen 127.0.0.1:0 --echo --json         # echo server on a free port; first line says which",
            "nsock listen :9000 -k --allow 127.0.0.0/8,::1  # many clients, loopback only",
            "nsock listen --udp 9999 --echo                 # answers UDP pings",
            "nsock listen 127.0.0.1:9000 --chat             # a chat room: nc 127.0.0.1 9000 to join",
            "nsock listen 127.0.0.1:9000 --broker           # every client hears every other (ncat --broker)",
            "nsock listen 127.0.0.1:9000 -k --exec 'python3 service.py --verbose'  # a program per client (ncat -e)",
        },
        ["forward"] = new[]
        {
            "nsock forward 127.0.0.1:8080 127.0.0.1:80               # socat TCP-LISTEN:8080,fork TCP:127.0.0.1:80",
            "nsock forward unix:/tmp/db.sock 127.0.0.1:5432 --json   # a Unix socket in front of a TCP service",
            "nsock forward :2222 127.0.0.1:22 --allow 10.0.0.0/8 --max-clients 10",
            "nsock forward --udp 127.0.0.1:5353 127.0.0.1:53                # a UDP session per client address",
            "nsock forward --tls-self-signed :8443 127.0.0.1:8080       # a TLS terminator in front of a plain service",
            "nsock forward 127.0.0.1:5432 tls://db.lan:5433 --ca ca.pem # plain in, TLS out, the target verified",
        },
        ["send"] = new[]
        {
            "nsock send 127.0.0.1:9000 'GET / HTTP/1.0\\r\\n\\r\\n' --reply",
            "nsock send 127.0.0.1:9000 --file backup.tar",
            "echo ping | nsock send --udp 127.0.0.1:9999 --reply",
        },
        ["recv"] = new[]
        {
            "nsock recv 127.0.0.1:9000 --out data.bin",
            "nsock recv 127.0.0.1:25 --until '\\r\\n'        # read one SMTP greeting line",
            "nsock recv 127.0.0.1:9000 --bytes 64 --hex",
        },
        ["resolve"] = new[] { "nsock resolve localhost", "nsock resolve localhost -4 --json" },
        ["ping"] = new[]
        {
            "nsock ping 127.0.0.1:9999                  # the far side runs: nsock listen --udp 9999 --echo",
            "nsock ping 127.0.0.1:9999 -c 10000 -i 0    # flood-style, bounded by the count",
            "nsock ping --tcp 127.0.0.1:22 -c 5         # TCP connect time",
        },
        ["http"] = new[]
        {
            "nsock http http://127.0.0.1:8080/ -v                 # headers and body, timings on stderr",
            "nsock http https://127.0.0.1:8443/ --insecure --json  # self-signed test server; a result object",
            "nsock http http://127.0.0.1:8080/big --out big.bin",
            "printf 'GET / HTTP/1.0\\n\\n' | nsock http http://127.0.0.1:8080/ --raw-request - --raw",
        },
        ["probe"] = new[]
        {
            "nsock probe 127.0.0.1 -p 22,80,443,8000-8100",
            "nsock probe 127.0.0.0/30 -p 1-1024 --json",
            "nsock probe 127.0.0.1 -p 53 --udp",
            "nsock probe 127.0.0.1 -p 5432 --wait --timeout 60",
        },
        ["conns"] = new[]
        {
            "nsock conns                            # TCP and UDP sockets, like ss -tuanp",
            "nsock conns -l                         # only listeners (sudo: every owner)",
            "nsock conns -t --state estab -p 443    # established, local or remote port 443",
            "nsock conns --pid 1234 --json          # one JSON object per socket",
            "nsock conns -t -p 8080 --watch         # opened/closed marked; JSON events when piped",
        },
    };

    private readonly HelpAction _help;

    public Examples(HelpAction help) => _help = help;

    public override int Invoke(ParseResult parseResult)
    {
        int result = _help.Invoke(parseResult);
        string name = parseResult.CommandResult.Command is RootCommand ? "nsock" : parseResult.CommandResult.Command.Name;
        if (s_examples.TryGetValue(name, out string[]? lines))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (string line in lines) output.WriteLine("  " + line);
            output.WriteLine();
            if (name == "nsock")
            {
                output.WriteLine("Exit codes: 0 ok, 1 I/O error, 2 bad input, 3 refused, 4 timed out, 5 name not found,");
                output.WriteLine("            6 unreachable, 7 TLS, 130 interrupted (Ctrl+C), 143 terminated.");
                output.WriteLine();
            }
        }
        return result;
    }
}
