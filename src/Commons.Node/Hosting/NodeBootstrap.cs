using System.Security.Cryptography;
using Commons.Core.Members;
using Commons.Core.Nodes;
using Commons.Core.Services;
using Microsoft.Extensions.Options;

namespace Commons.Node.Hosting;

/// <summary>First start: the node's identity and secrets, and an administrator with a one-time password.</summary>
public sealed class NodeBootstrap(INodeStore nodes, IMemberStore members, MemberService memberService, IOptions<NodeOptions> options, TimeProvider clock)
{
    public sealed record Outcome(NodeIdentity Identity, bool Created, string? AdminUsername, string? OneTimePassword);

    /// <summary>Creates what is missing; an initialised node is left as it is.</summary>
    public Outcome EnsureInitialized(string? nodeName = null, string adminUsername = "admin", string? adminPassword = null)
    {
        var identity = nodes.Get();
        var created = false;
        if (identity is null)
        {
            identity = new NodeIdentity
            {
                Name = string.IsNullOrWhiteSpace(nodeName) ? options.Value.NodeName : nodeName.Trim(),
                CreatedAt = clock.GetUtcNow(),
                TokenSigningKey = RandomNumberGenerator.GetBytes(64),
            };
            nodes.Save(identity);
            created = true;
        }
        if (members.Count() > 0) return new Outcome(identity, created, null, null);

        var generated = adminPassword is null;
        var password = adminPassword ?? PasswordHasher.Generate();
        var admin = memberService.Add(adminUsername, "Administrator", password, MemberRole.Admin, mustChangePassword: generated);
        return new Outcome(identity, created, admin.Username, generated ? password : null);
    }

    /// <summary>Says once, on the console and never in a log, how to sign in the first time.</summary>
    public static void Announce(Outcome outcome, TextWriter console, string? url)
    {
        if (outcome.Created) console.WriteLine($"Commons Node '{outcome.Identity.Name}' created.");
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
