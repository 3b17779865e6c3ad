using System.Text.Json;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Tokens;

namespace Commons.Node.Api;

// Requests. Unknown fields are refused (ApiJson); null means "not given".
public sealed record LoginRequest(string Username, string Password);
public sealed record RefreshRequest(string RefreshToken);
public sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);
public sealed record MemberCreateRequest(string Username, string? DisplayName, string? Password, MemberRole? Role);
public sealed record MemberPatchRequest(string? DisplayName, MemberRole? Role, bool? Disabled);
public sealed record ResetPasswordRequest(string? NewPassword);
public sealed record TokenCreateRequest(string Name, string[] Scopes, DateTimeOffset? ExpiresAt);
public sealed record DatasetRequest(
    string? Slug, string? Kind, LocalizedText? Title, LocalizedText? Description, JsonElement? Schema, string? License,
    SharingPolicy? Policy, string[]? AllowedPeers, string[]? ExcludedFields, string? TitleField = null, string[]? Columns = null, string? Decision = null);
public sealed record GrantRequest(GrantRole Role);
public sealed record RecordCreateRequest(string? Id, JsonElement Data, bool? Shared);
public sealed record RecordUpdateRequest(JsonElement? Data, bool? Shared);

// Responses.
public sealed record TokenPairResponse(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken);
public sealed record MemberResponse(string Username, string DisplayName, MemberRole Role, bool Disabled, bool MustChangePassword, DateTimeOffset CreatedAt)
{
    public static MemberResponse From(Member m) => new(m.Username, m.DisplayName, m.Role, m.Disabled, m.MustChangePassword, m.CreatedAt);
}
public sealed record MemberCreatedResponse(MemberResponse Member, string? GeneratedPassword);
public sealed record PasswordResetResponse(string Username, string? GeneratedPassword);
public sealed record TokenResponse(string Id, string Username, string Name, string[] Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public static TokenResponse From(AccessToken t) => new(t.Id, t.Username, t.Name, TokenScopeNames.Names(t.Scopes), t.CreatedAt, t.ExpiresAt, t.RevokedAt);
}
public sealed record CreatedTokenResponse(TokenResponse Token, string Secret);
public sealed record GrantResponse(string Username, GrantRole Role);
public sealed record DatasetResponse(
    string Slug, string Kind, int KindVersion, LocalizedText Title, LocalizedText Description, JsonElement Schema, string? License, SharingPolicy Policy,
    IReadOnlyList<string> AllowedPeers, IReadOnlyList<string> ExcludedFields, string? TitleField, IReadOnlyList<string> Columns,
    IReadOnlyList<GrantResponse> Grants, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset UpdatedAt, long Version, long Records, long LastSeq)
{
    public static DatasetResponse From(Dataset d, long records, long lastSeq)
    {
        using var schema = JsonDocument.Parse(d.Schema);
        return new(d.Slug, d.Kind, d.KindVersion, d.Title, d.Description, schema.RootElement.Clone(), d.License, d.Policy, d.AllowedPeers, d.ExcludedFields,
            d.TitleField, d.Columns, d.Grants.Select(g => new GrantResponse(g.Username, g.Role)).ToList(), d.CreatedAt, d.CreatedBy, d.UpdatedAt, d.Version, records, lastSeq);
    }
}
public sealed record RecordResponse(string Id, long Revision, bool Shared, JsonElement Data, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset UpdatedAt, string? UpdatedBy)
{
    public static RecordResponse From(Record r) => new(r.Id, r.Revision, r.Shared, r.Data, r.CreatedAt, r.CreatedBy, r.UpdatedAt, r.UpdatedBy);
}
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? Next);
public sealed record ChangeResponse(long Seq, ChangeKind Kind, string? RecordId, long? Revision, string? By, DateTimeOffset At)
{
    public static ChangeResponse From(Change c) => new(c.Seq, c.Kind, c.RecordId, c.Revision, c.By, c.At);
}
/// <summary>One change of a governed setting: who, when, and the decision that authorised it (null before anything governed it).</summary>
public sealed record GovernedChangeResponse(string ChangedBy, DateTimeOffset At, string? Decision, string? DecisionTitle)
{
    public static GovernedChangeResponse From(Core.Governance.GovernedChange c) => new(c.ChangedBy, c.At, c.DecisionRef, c.DecisionTitle);
}
public sealed record ChangesResponse(IReadOnlyList<ChangeResponse> Items, long LastSeq, long? Next);
public sealed record RecordBatchRequest(IReadOnlyList<RecordCreateRequest> Records);
public sealed record RecordBatchItemResponse(string Id, long Revision, bool Created);
public sealed record RecordBatchResponse(int Created, int Unchanged, IReadOnlyList<RecordBatchItemResponse> Records);
