namespace Commons.Core.Tokens;

public interface ITokenStore
{
    void Add(AccessToken token);
    AccessToken? Find(string id);
    IReadOnlyList<AccessToken> ListFor(string username);
    IReadOnlyList<AccessToken> ListAll();
    void Update(AccessToken token);

    void AddRefresh(RefreshToken token);
    RefreshToken? FindRefresh(string id);
    /// <summary>Marks a refresh token used; false if it was already used (a replay).</summary>
    bool TryUseRefresh(string id, DateTimeOffset at);
    void RevokeRefreshTokensOf(string username);
}
