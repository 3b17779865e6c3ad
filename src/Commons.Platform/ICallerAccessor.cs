using Commons.Core.Access;
using Microsoft.AspNetCore.Http;

namespace Commons.Platform;

/// <summary>
/// Who is asking, for a module's endpoints and pages: the host registers the one resolver its own API uses (the
/// member's current role and state, the credential's scopes), so a module never reads claims itself.
/// </summary>
public interface ICallerAccessor
{
    /// <summary>The signed-in caller; throws the host's unauthenticated problem when there is none.</summary>
    Caller Caller(HttpContext http);

    /// <summary>The signed-in caller, or null for an anonymous visitor (pages show them the sign-in link).</summary>
    Caller? Find(HttpContext http);
}
