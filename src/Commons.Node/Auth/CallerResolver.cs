using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Tokens;

namespace Commons.Node.Auth;

/// <summary>Turns the authenticated principal into a <see cref="Caller"/>, reading the member's current role and state.</summary>
public static class CallerResolver
{
    public static Caller Caller(this HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(Caller), out var cached) && cached is Caller c) return c;
        var username = http.User.FindFirst(ClaimNames.Subject)?.Value ?? throw new UnauthenticatedException();
        var member = http.RequestServices.GetRequiredService<IMemberStore>().Find(username);
        if (member is null || member.Disabled) throw new UnauthenticatedException();
        var scopes = TokenScopeNames.Parse((http.User.FindFirst(ClaimNames.Scope)?.Value ?? "read").Split(' '));
        if (!member.IsAdmin) scopes &= ~TokenScopes.Admin;
        var caller = Core.Access.Caller.FromMember(member, scopes);
        http.Items[typeof(Caller)] = caller;
        return caller;
    }
}

public sealed class UnauthenticatedException() : CommonsException(ProblemCodes.Unauthenticated, "Unauthorized", "sign in, or send a valid access token");
