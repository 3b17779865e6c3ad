using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Node.Auth;
using Commons.Node.Hosting.OpenApi;
using Commons.Node.Http;

namespace Commons.Node.Api;

public static class MemberEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("", (HttpContext http, MemberService members) =>
        {
            var caller = http.Caller();
            return MemberResponse.From(members.Get(caller, caller.Username));
        })
            .ForAnySignedInCaller().WithSummary("The signed-in member.");
        me.MapPost("/password", async (HttpContext http, MemberService members) =>
        {
            var caller = http.Caller();
            MemberService.RequireChange(caller); // rights before the body, here and below
            var request = await JsonBody.ReadAsync<ChangePasswordRequest>(http);
            members.ChangeOwnPassword(caller, request.CurrentPassword ?? "", request.NewPassword ?? "");
            return Results.NoContent();
        }).Accepts<ChangePasswordRequest>("application/json").Produces(204).ProducesProblem(400)
          .WithSummary("Change one's own password; signs out every other session.");

        var group = api.MapGroup("/members").WithTags("Members");
        group.MapGet("", (HttpContext http, MemberService members) => members.List(http.Caller()).Select(MemberResponse.From).ToList())
            .WithSummary("All members (administrators).");

        group.MapPost("", async (HttpContext http, MemberService members) =>
        {
            var caller = http.Caller();
            MemberService.RequireManager(caller);
            var request = await JsonBody.ReadAsync<MemberCreateRequest>(http);
            var generated = request.Password is null ? PasswordHasher.Generate() : null;
            var member = members.Add(caller, request.Username ?? "", request.DisplayName, request.Password ?? generated!, request.Role ?? MemberRole.Member, mustChangePassword: generated is not null);
            return Results.Created($"/api/members/{member.Username}", new MemberCreatedResponse(MemberResponse.From(member), generated));
        }).Accepts<MemberCreateRequest>("application/json").Produces<MemberCreatedResponse>(201).ProducesProblem(409)
          .WithSummary("Add a member (administrators). Without a password, a one-time password is generated and returned once.");

        group.MapGet("/{username}", (HttpContext http, string username, MemberService members) => MemberResponse.From(members.Get(http.Caller(), username)))
            .WithSummary("One member (administrators, or the member themself).");

        group.MapPatch("/{username}", async (HttpContext http, string username, MemberService members) =>
        {
            var caller = http.Caller();
            MemberService.RequireChange(caller);
            var request = await JsonBody.ReadAsync<MemberPatchRequest>(http);
            return MemberResponse.From(members.Update(caller, username, request.DisplayName, request.Role, request.Disabled));
        }).Accepts<MemberPatchRequest>("application/json").Produces<MemberResponse>().ProducesProblem(409).WithSummary("Change display name (self or admin), role or disabled flag (admin).");

        group.MapPost("/{username}/reset-password", async (HttpContext http, string username, MemberService members) =>
        {
            var caller = http.Caller();
            MemberService.RequireManager(caller);
            var request = http.Request.ContentLength is > 0 ? await JsonBody.ReadAsync<ResetPasswordRequest>(http) : new ResetPasswordRequest(null);
            var generated = request.NewPassword is null ? PasswordHasher.Generate() : null;
            members.ResetPassword(caller, username, request.NewPassword ?? generated!, mustChange: generated is not null);
            return new PasswordResetResponse(username, generated);
        }).Accepts<ResetPasswordRequest>(isOptional: true, "application/json").Produces<PasswordResetResponse>().WithSummary("Set a new password (administrators); without one, a one-time password is generated and returned once.");
    }
}
