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
        args = CliApp.DataDirAsConfiguration(args, out var command);
        if (command is null && !args.Any(CliApp.IsCliOption))
            return WebHost.Serve(args);
        if (command == "serve")
            return WebHost.Serve(args.Where((a, i) => i != Array.IndexOf(args, "serve")).ToArray());
        return CliApp.Run(args, Console.Out, Console.Error);
    }
}
