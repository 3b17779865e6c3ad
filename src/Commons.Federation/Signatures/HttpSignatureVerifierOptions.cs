namespace Commons.Federation.Signatures;

/// <summary>Policy for <see cref="HttpSignatureVerifier"/>.</summary>
public sealed record HttpSignatureVerifierOptions
{
    /// <summary>How far Date/created may lie in the past or future, and how long past expires is tolerated.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Retry once with the query string removed from the target when verification fails, as Mastodon and
    /// GoToSocial do for peers that sign the path only.
    /// </summary>
    public bool AllowQueryStringTolerance { get; init; } = true;
}
