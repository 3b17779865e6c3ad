using Commons.Core.Access;
using Commons.Core.Members;
using Commons.Core.Tokens;

namespace Commons.Node.Cli;

/// <summary>What a command runs against: the node's services (in this process or inside the running node), where to write, where it was typed.</summary>
public sealed class CliContext(IServiceProvider services, TextWriter output, string workingDirectory, bool insideRunningNode)
{
    public IServiceProvider Services { get; } = services;
    public TextWriter Out { get; } = output;
    public bool InsideRunningNode { get; } = insideRunningNode;

    /// <summary>Whoever can run the CLI on the node's machine owns its files, and so acts as an administrator.</summary>
    public static readonly Caller Operator = new("cli", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A path as the person typed it, relative to their working directory, not the node's.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, workingDirectory);
}

/// <summary>A command's failure, printed as one line on standard error.</summary>
public sealed class CliException(string message) : Exception(message);
