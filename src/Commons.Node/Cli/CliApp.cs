using System.CommandLine;
using Commons.Core.Errors;
using Commons.Node.Federation;
using Commons.Node.Hosting;
using Commons.Core.Store;
using Commons.Node.Hosting.Modules;
using Commons.Platform;
using Microsoft.Extensions.Options;

namespace Commons.Node.Cli;

/// <summary>
/// The admin commands. Against a stopped node they open the store directly; against a running node they are sent
/// through its admin socket and run inside it, so the store is never opened twice.
/// </summary>
public static class CliApp
{
    private static readonly string[] NeedsStoppedNode = ["restore"];

    public static bool IsCliOption(string arg) => arg is "--help" or "-h" or "-?" or "--version";

    /// <summary>For the web host, <c>--data-dir X</c> becomes <c>--Commons:DataDirectory=X</c>; the CLI reads it itself.</summary>
    public static string[] DataDirAsConfiguration(string[] args, out string? command)
    {
        command = CommandWord(args);
        if (command is not (null or "serve")) return args;
        var list = args.ToList();
        var i = list.IndexOf("--data-dir");
        if (i >= 0 && i + 1 < list.Count)
        {
            list[i] = $"--{NodeOptions.Section}:{nameof(NodeOptions.DataDirectory)}={list[i + 1]}";
            list.RemoveAt(i + 1);
        }
        return list.Select(a => a.StartsWith("--data-dir=", StringComparison.Ordinal) ? $"--{NodeOptions.Section}:{nameof(NodeOptions.DataDirectory)}={a[11..]}" : a).ToArray();
    }

    /// <summary>
    /// The first word that is not an option (nor the value of --data-dir): a command, or anything else that is not
    /// configuration. Null when every argument is configuration for the web host (<c>--urls …</c>, <c>--Key=value</c>).
    /// </summary>
    public static string? CommandWord(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--data-dir") { i++; continue; }
            if (a.StartsWith('-'))
            {
                // "--key value" pairs of the host's configuration: skip the value too.
                if (!a.Contains('=') && i + 1 < args.Length && !args[i + 1].StartsWith('-')) i++;
                continue;
            }
            return a;
        }
        return null;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var configuration = LoadConfiguration(args, out var rest);
        var options = configuration.GetSection(NodeOptions.Section).Get<NodeOptions>() ?? new NodeOptions();
        var parse = BuildRoot(() => throw new InvalidOperationException(), NodeModules.All).Parse(rest);
        if (parse.Errors.Count > 0) return ParseError(parse, stderr);
        var commandName = parse.CommandResult.Command.Name;
        if (rest.Length == 0 || parse.CommandResult.Command is RootCommand || rest.Any(IsCliOption))
            return Execute(rest, new CliContext(new ServiceCollection().BuildServiceProvider(), stdout, Environment.CurrentDirectory, false), stderr);

        // Checking a statement file needs neither the store nor a running node: an auditor runs it anywhere.
        if (CommandWord(rest) == "statement")
            return Execute(rest, new CliContext(new ServiceCollection().BuildServiceProvider(), stdout, Environment.CurrentDirectory, false), stderr);
        try
        {
            if (StorageBackend.Folder.IsInUse(options.DataDirectory))
            {
                if (NeedsStoppedNode.Contains(commandName))
                    throw new CliException($"'{commandName}' needs the node stopped: the data folder {Path.GetFullPath(options.DataDirectory)} is in use");
                var response = AdminSocket.Send(options.DataDirectory, rest);
                stdout.Write(response.Output);
                stderr.Write(response.Error);
                return response.ExitCode;
            }
            if (commandName == "restore")
                return Execute(rest, new CliContext(new ServiceCollection().AddSingleton(Options.Create(options)).BuildServiceProvider(), stdout, Environment.CurrentDirectory, false), stderr);

            // The address the node federates under, checked as the node checks it (one line when unusable).
            PublicAddress.Resolve(options, configuration);
            using var services = new ServiceCollection().AddLogging().AddSingleton(configuration).AddCommons(configuration).AddFederation(configuration).BuildServiceProvider();
            return Execute(rest, new CliContext(services, stdout, Environment.CurrentDirectory, false), stderr);
        }
        catch (Exception e) when (e is CliException or NodeConfigurationException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>Parses and runs one command against <paramref name="context"/>; every failure becomes one line on <paramref name="stderr"/>.</summary>
    public static int Execute(string[] args, CliContext context, TextWriter stderr)
    {
        // Inside the node (or a store opened here) the catalog is the one the services were built with.
        var modules = (context.Services.GetService(typeof(ModuleCatalog)) as ModuleCatalog)?.Modules ?? NodeModules.All;
        var parse = BuildRoot(() => context, modules).Parse(args);
        if (parse.Errors.Count > 0) return ParseError(parse, stderr);
        try
        {
            if (!args.Any(IsCliOption) && ModuleCommands.OffModuleOf(parse, modules, context) is { } off)
            {
                stderr.WriteLine(ModuleCommands.OffLine(off));
                return 1;
            }
            return parse.Invoke(new InvocationConfiguration { Output = context.Out, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is CommonsException or CliException or IOException or UnauthorizedAccessException)
        {
            // The problem code, as the API gives it, so scripts can tell a conflict from a missing thing.
            stderr.WriteLine(e is CommonsException c ? $"error: {c.Detail} [{c.Code}]" : $"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>One line for a wrong command line: the most telling error (an unknown word before a missing one).</summary>
    private static int ParseError(ParseResult parse, TextWriter stderr)
    {
        var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
        stderr.WriteLine($"error: {error.Message} (see 'commons-node --help')");
        return 2;
    }

    /// <summary>The command tree, with a command per module that has one. <paramref name="context"/> is only called when a command runs.</summary>
    public static RootCommand BuildRoot(Func<CliContext> context, IReadOnlyList<ICommonsModule> modules)
    {
        var root = new RootCommand("Commons Node: a self-hosted, federated data-commons server. Without a command, it serves.");
        root.Add(new Command("serve", "Run the node (the default)."));
        root.Add(StoreCommands.Init(context));
        root.Add(MemberCommands.Build(context));
        root.Add(TokenCommands.Build(context));
        root.Add(DatasetCommands.Build(context));
        root.Add(RecordCommands.Build(context));
        root.Add(StoreCommands.Backup(context));
        root.Add(StoreCommands.Restore(context));
        root.Add(StoreCommands.Check(context));
        foreach (var command in FederationCommands.Build(context)) root.Add(command);
        root.Add(ReplicaCommands.Build(context));
        root.Add(ModuleCommands.Build(context));
        root.Add(NodeCommands.Build(context));
        root.Add(StatementCommands.Build(context));
        root.Add(DecisionCommands.Build(context));
        foreach (var command in ModuleCommands.OfModules(modules, context))
        {
            if (root.Subcommands.Any(c => c.Name == command.Name))
                throw new InvalidOperationException($"the command of module '{command.Name}' has the name of one of the node's own");
            root.Add(command);
        }
        root.Add(new Option<string>("--data-dir") { Description = "The node's data folder (default: Commons:DataDirectory, else ./data).", Recursive = true });
        return root;
    }

    /// <summary>Configuration as the node reads it (appsettings.json, COMMONS__… variables), plus --data-dir.</summary>
    private static IConfiguration LoadConfiguration(string[] args, out string[] rest)
    {
        var list = args.ToList();
        string? dataDir = null;
        var i = list.FindIndex(a => a == "--data-dir" || a.StartsWith("--data-dir=", StringComparison.Ordinal));
        if (i >= 0)
        {
            if (list[i].Contains('=')) { dataDir = list[i][(list[i].IndexOf('=') + 1)..]; list.RemoveAt(i); }
            else if (i + 1 < list.Count) { dataDir = list[i + 1]; list.RemoveRange(i, 2); }
        }
        rest = list.ToArray();
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            // ASPNETCORE_URLS and DOTNET_URLS as the node reads them: whether it listens beyond loopback decides if it federates.
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables();
        if (dataDir is not null)
            builder.AddInMemoryCollection([new KeyValuePair<string, string?>($"{NodeOptions.Section}:{nameof(NodeOptions.DataDirectory)}", dataDir)]);
        return builder.Build();
    }
}
