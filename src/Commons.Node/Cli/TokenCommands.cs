using System.CommandLine;
using Commons.Core.Services;
using Commons.Core.Tokens;

namespace Commons.Node.Cli;

internal static class TokenCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var token = new Command("token", "Manage personal access tokens.");

        var username = new Argument<string>("username") { Description = "The member the token acts for." };
        var name = new Option<string>("--name") { Description = "What the token is for.", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "read, write or admin (comma-separated; write includes read).", DefaultValueFactory = _ => "read" };
        var days = new Option<int?>("--expires-days") { Description = "Days until it expires (default: never)." };
        var create = new Command("create", "Create a token; prints its secret once.") { username, name, scopes, days };
        create.SetAction(p =>
        {
            var c = context();
            var clock = c.Get<TimeProvider>();
            var expires = p.GetValue(days) is { } d ? clock.GetUtcNow().AddDays(d) : (DateTimeOffset?)null;
            var (t, secret) = c.Get<AccessTokenService>().Create(CliContext.Operator, p.GetValue(username)!.ToLowerInvariant(), p.GetValue(name)!,
                TokenScopeNames.Parse([p.GetValue(scopes)!], "--scopes"), expires);
            c.Out.WriteLine($"token {t.Id} for {t.Username} ({string.Join(',', TokenScopeNames.Names(t.Scopes))})");
            c.Out.WriteLine($"secret (shown once): {secret}");
            return 0;
        });

        var listUser = new Argument<string?>("username") { Description = "Only this member's tokens.", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "List tokens (never their secrets).") { listUser };
        list.SetAction(p =>
        {
            var c = context();
            var all = c.Get<AccessTokenService>().List(CliContext.Operator, all: true);
            var user = p.GetValue(listUser);
            c.Out.WriteLine($"{"ID",-17} {"USER",-20} {"SCOPES",-17} {"STATE",-8} NAME");
            foreach (var t in all.Where(t => user is null || t.Username == user))
            {
                var state = t.RevokedAt is not null ? "revoked" : t.ExpiresAt is { } e && e <= c.Get<TimeProvider>().GetUtcNow() ? "expired" : "active";
                c.Out.WriteLine($"{t.Id,-17} {t.Username,-20} {string.Join(',', TokenScopeNames.Names(t.Scopes)),-17} {state,-8} {t.Name}");
            }
            return 0;
        });

        var id = new Argument<string>("id");
        var revoke = new Command("revoke", "Revoke a token: it stops working at once.") { id };
        revoke.SetAction(p =>
        {
            var c = context();
            var t = c.Get<AccessTokenService>().Revoke(CliContext.Operator, p.GetValue(id)!);
            c.Out.WriteLine($"token {t.Id} of {t.Username} revoked");
            return 0;
        });

        token.Add(create);
        token.Add(list);
        token.Add(revoke);
        return token;
    }
}
