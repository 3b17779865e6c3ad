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

        auth.MapPost("/login", async (HttpContext http, SignInCheck signIn, AccessTokenIssuer issuer) =>
        {
            var request = await JsonBody.ReadAsync<LoginRequest>(http);
            var attempt = signIn.Attempt(request.Username, request.Password, http.Connection.RemoteIpAddress?.ToString());
            if (attempt.RetryAfter is { } wait) throw new TooManyRequestsException("too many failed sign-ins; wait before trying again", wait);
            var member = attempt.Member ?? throw new UnauthenticatedLoginException();
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
