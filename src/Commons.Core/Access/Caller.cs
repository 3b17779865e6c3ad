using Commons.Core.Members;
using Commons.Core.Tokens;

namespace Commons.Core.Access;

/// <summary>Who is asking: an enabled member, with the scopes of the credential used (a login grants all).</summary>
public sealed record Caller(string Username, MemberRole Role, TokenScopes Scopes)
{
    public bool IsAdmin => Role == MemberRole.Admin;
    public bool CanRead => Scopes.HasFlag(TokenScopes.Read);
    public bool CanWrite => Scopes.HasFlag(TokenScopes.Write);
    public bool CanAdminister => IsAdmin && Scopes.HasFlag(TokenScopes.Admin);

    public static Caller FromMember(Member m, TokenScopes scopes) => new(m.Username, m.Role, scopes);
}
