using System.CommandLine;
using Commons.Core.Nodes;
using Commons.Node.Hosting;
using Commons.Core.Store;
using Microsoft.Extensions.Options;

namespace Commons.Node.Cli;

internal static class StoreCommands
{
    public static Command Init(Func<CliContext> context)
    {
        var name = new Option<string?>("--name") { Description = "The node's name (default: Commons:NodeName)." };
        var admin = new Option<string>("--admin") { Description = "The first administrator's username.", DefaultValueFactory = _ => "admin" };
        var init = new Command("init", "Create the node's store, identity and first administrator, without serving.") { name, admin };
        init.SetAction(p =>
        {
            var c = context();
            var outcome = c.Get<NodeBootstrap>().EnsureInitialized(p.GetValue(name), p.GetValue(admin)!);
            if (!outcome.Created && outcome.AdminUsername is null) c.Out.WriteLine($"node '{outcome.Identity.Name}' is already initialised");
            NodeBootstrap.Announce(outcome, c.Out, null);
            return 0;
        });
        return init;
    }

    public static Command Backup(Func<CliContext> context)
    {
        var file = new Argument<string>("file") { Description = "Where to write the backup." };
        var backup = new Command("backup", "Write a consistent snapshot of the whole store; the node keeps serving.") { file };
        backup.SetAction(p =>
        {
            var c = context();
            var path = c.ResolvePath(p.GetValue(file)!);
            var node = c.Get<INodeStore>().Get()?.Name ?? "uninitialised node";
            var summary = c.Get<IStoreBackup>().Write(path, node, c.Get<TimeProvider>().GetUtcNow());
            c.Out.WriteLine($"backup of '{summary.Node}' written to {path}: {summary.Collections} collections, {summary.Documents} documents");
            return 0;
        });
        return backup;
    }

    public static Command Restore(Func<CliContext> context)
    {
        var file = new Argument<string>("file") { Description = "A backup written by 'commons-node backup'." };
        var force = new Option<bool>("--force") { Description = "Replace an existing store (it is kept beside, renamed)." };
        var restore = new Command("restore", "Restore a backup into the data folder (the node must be stopped).") { file, force };
        restore.SetAction(p =>
        {
            var c = context();
            var options = c.Get<IOptions<NodeOptions>>().Value;
            var path = c.ResolvePath(p.GetValue(file)!);
            var summary = StorageBackend.Folder.Restore(path, c.ResolvePath(options.DataDirectory), p.GetValue(force), DateTimeOffset.UtcNow);
            c.Out.WriteLine($"restored '{summary.Node}' (backup of {summary.CreatedAt:u}): {summary.Collections} collections, {summary.Documents} documents");
            return 0;
        });
        return restore;
    }

    public static Command Check(Func<CliContext> context)
    {
        var check = new Command("check", "Scan the store's integrity: feeds without gaps, revisions, schemas.");
        check.SetAction(p =>
        {
            var c = context();
            var report = c.Get<IStoreCheck>().Run();
            foreach (var problem in report.Problems) c.Out.WriteLine($"problem: {problem}");
            foreach (var pending in report.Pending) c.Out.WriteLine($"pending: {pending}");
            c.Out.WriteLine($"{(report.Ok ? "ok" : "FAILED")}: {report.Datasets} datasets, {report.Records} records, {report.Changes} changes, {report.Problems.Count} problems");
            return report.Ok ? 0 : 1;
        });
        return check;
    }
}
