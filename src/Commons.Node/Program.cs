using Commons.Node.Cli;
using Commons.Node.Hosting;

namespace Commons.Node;

/// <summary>
/// One program, two faces: <c>commons-node</c> (or <c>serve</c>) runs the node; the other words are admin commands.
/// Anything that is not a command word is passed to the web host as configuration (<c>--urls …</c>, <c>--Commons:DataDirectory=…</c>).
/// </summary>
public partial class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') && !CliApp.IsCliOption(args[0]))
            return WebHost.Serve(args);
        if (args[0] == "serve")
            return WebHost.Serve(args[1..]);
        return CliApp.Run(args, Console.Out, Console.Error);
    }
}
