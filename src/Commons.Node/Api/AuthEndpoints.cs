using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Node.Auth;
using Commons.Node.Http;

namespace Commons.Node.Api;

public static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Authentication").AllowAnonymous();

        auth.MapPost("/login", async (HttpContext http, IMemberStore members, PasswordHasher hasher, AccessTokenIssuer issuer, LoginThrottle throttle) =>
        {
            var request = await JsonBody.ReadAsync<LoginRequest>(http);
            var username = (request.Username ?? "").Trim().ToLowerInvariant();
            var address = http.Connection.RemoteIpAddress?.ToString();
            if (throttle.RetryAfter(username, address) is { } wait)
                throw new TooManyRequestsException("too many failed sign-ins; wait before trying again", wait);
            var member = members.Find(username);
            // Hash even for unknown names, so timing does not tell which usernames exist.
            var ok = hasher.Verify(request.Password ?? "", member?.PasswordHash ?? hasher.DummyHash);
            if (member is null || !ok || member.Disabled)
            {
                throttle.Failed(username, address);
                throw new UnauthenticatedLoginException();
            }
            throttle.Succeeded(username, address);
            var issued = issuer.Issue(member);
            return Results.Ok(new TokenPairResponse(issued.AccessToken, "Bearer", issued.ExpiresIn, issued.RefreshToken));
        })
        .Accepts<LoginRequest>("application/json").Produces<TokenPairResponse>().ProducesProblem(401).ProducesProblem(429)
        .WithSummary("Sign in with username and password; returns a short-lived access token and a refresh token.");

        auth.MapPost("/refresh", async (HttpContext http, AccessTokenIssuer issuer) =>
        {
            var request = await JsonBody.ReadAsync<RefreshRequest>(http);
            var issued = issuer.Refresh(request.RefreshToken ?? "");
            return Results.Ok(new TokenPairResponse(issued.AccessToken, "Bearer", issued.ExpiresIn, issued.RefreshToken));
        })
        .Accepts<RefreshRequest>("application/json").Produces<TokenPairResponse>().ProducesProblem(400)
        .WithSummary("Trade a refresh token (single use) for a new token pair.");
    }
}

public sealed class UnauthenticatedLoginException() : CommonsException(ProblemCodes.InvalidCredentials, "Unauthorized", "wrong username or password, or the account is disabled");
