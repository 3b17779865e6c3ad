using System.Text.RegularExpressions;

namespace Commons.Storage.Tests;

/// <summary>
/// The host and the CLI use Core's storage ports only: outside <c>Hosting/StorageBackend.cs</c>, Commons.Node's sources
/// name no LiteDB type and no type of Commons.Storage, so a second backend replaces one file. And inside Commons.Storage
/// no store keeps LiteDB's engine or a collection in a field, where it could be reached outside the store's gate.
/// </summary>
public sealed class StorageSeamTests
{
    private const string RegistrationFile = "Hosting/StorageBackend.cs";

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "Commons.Node"))) return dir.FullName;
        throw new InvalidOperationException("the repository root was not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<(string Relative, string Text)> Sources(string project, params string[] extensions)
    {
        var root = Path.Combine(RepositoryRoot(), "src", project);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => extensions.Contains(Path.GetExtension(f)))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("obj/", StringComparison.Ordinal) && !f.StartsWith("bin/", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(root, f))));
    }

    /// <summary>
    /// A public type of the storage assembly used as a type or a static ("X.", "X&lt;", "&lt;X&gt;", "new X", "X name"), not a
    /// member that happens to share its name ("StoreCommands.Backup(") nor a word in text ("@T["Backup"]").
    /// </summary>
    private static Regex DirectUse()
    {
        var names = string.Join('|', typeof(CommonsDatabase).Assembly.GetExportedTypes().Select(t => t.Name.Split('`')[0]).Distinct());
        return new Regex(@"\bLiteDB\b|\bCommons\.Storage\b|(?<![.\w""])(" + names + @")\b(\.|<|\s+[_a-zA-Z]\w*\s*[=;,)])|<(" + names + @")>|\bnew\s+(" + names + @")\b");
    }

    [Fact]
    public void The_host_names_no_LiteDB_or_Commons_Storage_type_outside_its_one_registration_file()
    {
        var uses = DirectUse();
        var offenders = Sources("Commons.Node", ".cs", ".razor")
            .Where(s => s.Relative != RegistrationFile)
            .SelectMany(s => s.Text.Split('\n').Select((line, i) => (s.Relative, Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && uses.IsMatch(l.Text))
            .Select(l => $"{l.Relative}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Commons.Node reaches the storage backend directly:\n" + string.Join('\n', offenders));
        Assert.Contains(Sources("Commons.Node", ".cs"), s => s.Relative == RegistrationFile && s.Text.Contains("AddLiteDbStorage"));
    }

    [Fact]
    public void The_seam_test_sees_a_direct_use_when_there_is_one()
    {
        var uses = DirectUse();
        Assert.Matches(uses, "app.MapGet(\"/readyz\", (CommonsDatabase db) => ReadinessProbe.Check(db))");
        Assert.Matches(uses, "var s = Backup.Write(db, path, node, now);");
        Assert.Matches(uses, "catch (Exception e) when (e is LiteDB.LiteException)");
        Assert.DoesNotMatch(uses, "<h1>@T[\"Backup\"]</h1>");
        Assert.DoesNotMatch(uses, "IStoreBackup backup, IOptions<NodeOptions> options");
        Assert.DoesNotMatch(uses, "root.Add(StoreCommands.Backup(context));");
        Assert.DoesNotMatch(uses, "public static Command Backup(Func<CliContext> context)");
    }

    [Fact]
    public void No_store_keeps_LiteDB_or_a_collection_in_a_field()
    {
        var field = new Regex(@"^\s*(private|internal|public|protected)[^(=]*\b(ILiteCollection<\w+>|LiteDatabase|LiteEngine)\s+_?\w+\s*(;|=[^>])", RegexOptions.Multiline);
        var offenders = Sources("Commons.Storage", ".cs")
            // LiteModuleData is no store: a module's view made inside the caller's Read or Write, living only there.
            .Where(s => s.Relative is not ("CommonsDatabase.cs" or "LiteModuleStore.cs"))
            .SelectMany(s => field.Matches(s.Text).Select(m => $"{s.Relative}: {m.Value.Trim()}"))
            .ToList();
        Assert.True(offenders.Count == 0, "a store holds LiteDB outside CommonsDatabase:\n" + string.Join('\n', offenders));
    }
}
