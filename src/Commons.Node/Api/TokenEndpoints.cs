using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Node.Auth;
using Commons.Node.Http;

namespace Commons.Node.Api;

public static class TokenEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Access tokens");
        group.MapGet("", (HttpContext http, AccessTokenService tokens, bool? all) =>
            tokens.List(http.Caller(), all ?? false).Select(TokenResponse.From).ToList())
            .CheckQuery(QueryValue.Bool("all")).WithSummary("The caller's personal access tokens (all=true: everyone's, administrators).");

        group.MapPost("", async (HttpContext http, AccessTokenService tokens) =>
        {
            var caller = http.Caller();
            AccessTokenService.RequireChange(caller); // rights before the body
            var request = await JsonBody.ReadAsync<TokenCreateRequest>(http);
            var (token, secret) = tokens.Create(caller, caller.Username, request.Name, TokenScopeNames.Parse(request.Scopes ?? []), request.ExpiresAt);
            return Results.Created($"/api/tokens/{token.Id}", new CreatedTokenResponse(TokenResponse.From(token), secret));
        }).Accepts<TokenCreateRequest>("application/json").Produces<CreatedTokenResponse>(201).ProducesProblem(409)
          .WithSummary("Create a personal access token; its secret is returned only now.");

        group.MapDelete("/{id}", (HttpContext http, string id, AccessTokenService tokens) =>
        {
            tokens.Revoke(http.Caller(), id);
            return Results.NoContent();
        }).Produces(204).WithSummary("Revoke a token (one's own; administrators: anyone's).");
    }
}
