using Commons.Core.Access;
using Commons.Core.Federation;
using Commons.Modules.Credit.Accounts;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Signatures;
using Commons.Platform.Statements;

namespace Commons.Modules.Credit.Statements;

/// <summary>A signed month statement and the name it downloads under.</summary>
public sealed record SignedCreditStatement(string Xml, string FileName);

/// <summary>
/// The ledger's month statement as signed XML: the CSV's month (Brussels bounds, completed transactions, opening and
/// closing balances) with both proofs of every line checked again now, signed with XMLDSig by the node's RSA key (the
/// one its actor publishes). Whoever may read the ledger gets it (<see cref="CreditAccounts.StatementOf"/> decides).
/// A statement another member published is checked against the key the account's actor document publishes.
/// </summary>
public sealed class CreditStatements(CreditAccounts accounts, CreditLedgers ledgers, TransactionSignatures signatures, INodeSigningKey signingKey,
    TimeProvider clock, IEnumerable<IRemoteActorKeys> remoteKeys)
{
    public const string StatementUnverifiable = "statement_unverifiable";

    public async Task<SignedCreditStatement> SignedAsync(Caller caller, string ledger, StatementMonth month, CancellationToken ct)
    {
        var statement = accounts.StatementOf(caller, ledger, month);
        var (binding, group) = ledgers.Joined(ledger);
        var proofs = new Dictionary<string, (string, string)>();
        var cache = new Dictionary<string, ProofCheck>();
        foreach (var line in statement.Lines)
        {
            var t = line.Transaction;
            var check = await signatures.CheckAsync(group, t, signatures.PairOf(ledger, t), ct, cache);
            proofs[t.Id] = (check.Payer.State, check.Payee.State);
        }
        var content = new CreditStatementContent(statement, binding.Group, group.Member(binding.Account)?.Ledger ?? ledger,
            ledgers.Read(b => b.UnitNames(binding.Group)), group.EuroValue, proofs, clock.GetUtcNow());
        using var rsa = signingKey.OpenRsa();
        return new SignedCreditStatement(XmlStatementSignature.Sign(CreditStatementXml.Month(content), rsa), CreditStatementXml.FileName(ledger, month));
    }

    /// <summary>
    /// A credit statement checked against the RSA keys its account's actor document publishes (fetched over the
    /// network), so it proves which member issued it; <c>statement_foreign_key</c> when another key signed it,
    /// <see cref="StatementUnverifiable"/> when the account's keys cannot be had.
    /// </summary>
    public async Task<StatementVerdict> VerifyAsync(string xml, CancellationToken ct)
    {
        var local = XmlStatementSignature.Verify(xml, [CreditStatementXml.Form]);
        if (!local.Valid) return local;
        var account = XmlStatementSignature.Load(xml).DocumentElement!.GetAttribute("account");
        if (remoteKeys.FirstOrDefault() is not { } keys || !Uri.TryCreate(account, UriKind.Absolute, out var actor) || actor.Scheme is not ("https" or "http"))
            return local with { Valid = false, Code = StatementUnverifiable, Detail = $"the account {account} publishes no key this node can fetch" };
        IReadOnlyList<string> published;
        try { published = await keys.RsaPublicPemsAsync(account, ct); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or Core.Errors.CommonsException)
        {
            return local with { Valid = false, Code = StatementUnverifiable, Detail = $"the keys of {account} could not be fetched: {e.Message}" };
        }
        return XmlStatementSignature.VerifyFrom(xml, published, [CreditStatementXml.Form]);
    }
}
