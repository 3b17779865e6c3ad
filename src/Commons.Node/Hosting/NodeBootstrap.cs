using System.Security.Cryptography;
using Commons.Core.Members;
using Commons.Core.Nodes;
using Commons.Core.Services;
using Microsoft.Extensions.Options;

namespace Commons.Node.Hosting;

/// <summary>
/// First start: the node's identity and secrets, and its first administrator — created here with a configured or
/// generated password (<c>init</c>, automated set-ups), or left to the browser's one-time setup page (<c>serve</c>).
/// </summary>
public sealed class NodeBootstrap(INodeStore nodes, IMemberStore members, MemberService memberService, IOptions<NodeOptions> options, TimeProvider clock)
{
    public const int MaxNodeNameLength = NodeProfileService.MaxNameLength;

    /// <param name="SetupPending">No member exists yet: the first administrator is created on the setup page.</param>
    public sealed record Outcome(NodeIdentity Identity, bool Created, string? AdminUsername, string? OneTimePassword, bool SetupPending = false);

    /// <summary>Creates what is missing, the administrator included (a generated password when none is given); an initialised node is left as it is.</summary>
    public Outcome EnsureInitialized(string? nodeName = null, string adminUsername = "admin", string? adminPassword = null)
    {
        var (identity, created) = EnsureIdentity(nodeName);
        if (members.Count() > 0) return new Outcome(identity, created, null, null);

        var generated = adminPassword is null;
        var password = adminPassword ?? PasswordHasher.Generate();
        var admin = memberService.Register(adminUsername, "Administrator", password, MemberRole.Admin, mustChangePassword: generated);
        return new Outcome(identity, created, admin.Username, generated ? password : null);
    }

    /// <summary>
    /// What <c>serve</c> needs: with a configured initial password, as <see cref="EnsureInitialized"/>; without one, the
    /// identity only, and a node without members waits for its setup page.
    /// </summary>
    public Outcome EnsureServing(string? nodeName, string? initialAdminPassword)
    {
        if (!string.IsNullOrEmpty(initialAdminPassword)) return EnsureInitialized(nodeName, "admin", initialAdminPassword);
        var (identity, created) = EnsureIdentity(nodeName);
        return new Outcome(identity, created, null, null, SetupPending: members.Count() == 0);
    }

    /// <summary>Renames the node (the setup page); 1 to 100 characters.</summary>
    public NodeIdentity Rename(string? name)
    {
        var checkedName = CheckName(name);
        var identity = nodes.Get() ?? throw new InvalidOperationException("the node is not initialised");
        var renamed = identity with { Name = checkedName };
        nodes.Save(renamed);
        return renamed;
    }

    public static string CheckName(string? name) => NodeProfileService.CheckName(name, "nodeName");

    private (NodeIdentity Identity, bool Created) EnsureIdentity(string? nodeName)
    {
        if (nodes.Get() is { } existing) return (existing, false);
        var identity = new NodeIdentity
        {
            Name = string.IsNullOrWhiteSpace(nodeName) ? options.Value.NodeName : nodeName.Trim(),
            CreatedAt = clock.GetUtcNow(),
            TokenSigningKey = RandomNumberGenerator.GetBytes(64),
        };
        nodes.Save(identity);
        return (identity, true);
    }

    /// <summary>Says once, on the console and never in a log, how to sign in — or how to set the node up — the first time.</summary>
    public static void Announce(Outcome outcome, TextWriter console, string? url, string? setupLink = null, string? setupCodeFile = null)
    {
        if (outcome.Created) console.WriteLine($"Commons Node '{outcome.Identity.Name}' created.");
        if (outcome.SetupPending && setupLink is not null)
        {
            console.WriteLine("First run: open this one-time link to name the node and create its administrator:");
            console.WriteLine($"  {setupLink}");
            if (setupCodeFile is not null) console.WriteLine($"(The setup code is also in {setupCodeFile}; it works once.)");
            return;
        }
        if (outcome.AdminUsername is null) return;
        console.WriteLine($"Administrator account: {outcome.AdminUsername}");
        if (outcome.OneTimePassword is { } p)
        {
            console.WriteLine($"One-time password:     {p}");
            console.WriteLine("It is shown only now; change it after signing in (POST /api/me/password, or 'commons-node member reset-password').");
        }
        if (url is not null) console.WriteLine($"Sign in at {url}");
    }
}
