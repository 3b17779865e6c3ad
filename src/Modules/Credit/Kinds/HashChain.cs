using System.Security.Cryptography;
using System.Text;

namespace Commons.Modules.Credit.Kinds;

/// <summary>
/// Each ledger's hash chain: a completed transaction's link is SHA-256 over the canonical form of the previous link
/// and the transaction's fields, each written as its UTF-8 byte length in decimal, a colon and its UTF-8 bytes, in the
/// order previous, id, payer, payee, amount, unit, memo, nonce, time (docs/mutual-credit.md). The length prefix keeps two
/// different field lists from ever giving the same bytes.
/// </summary>
public static class HashChain
{
    /// <summary>The head of a ledger with no completed transaction.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Link(string previous, CreditTransaction t)
    {
        var canonical = new StringBuilder();
        foreach (var field in new[] { previous, t.Id, t.Payer, t.Payee, t.Amount, t.Unit, t.Memo ?? "", t.Nonce, t.Time })
            canonical.Append(Encoding.UTF8.GetByteCount(field)).Append(':').Append(field);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }
}
