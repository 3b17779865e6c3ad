using Commons.Core.Kinds;

namespace Commons.Modules.Credit.Kinds;

/// <summary>The ledger's rules on one transaction: what a new one must be, and how each state moves the account.</summary>
public static class LedgerRules
{
    /// <summary>
    /// A new transaction starts pending or completed; its amount is positive with at most the unit's decimals, in the
    /// group's unit; payer and payee are two members and one of them is this ledger's account; the payer never used its
    /// nonce here; a compensation names a completed transaction of this ledger with payer and payee swapped. Reads only:
    /// request handlers run it before answering.
    /// </summary>
    public static void CheckNew(CreditTransaction t, GroupTerms group, LedgerBinding binding, CreditBook book, string ledger)
    {
        if (t.IsFinal && t.State != TransactionStates.Completed)
            throw new RuleConflictException(CreditCodes.TransactionFinal, "Starts open", "a new transaction is pending or completed");
        if (t.Value <= 0)
            throw new RuleViolationException(CreditCodes.AmountNotPositive, "Not positive", $"the amount {t.Amount} is not above zero", "amount");
        if (Amounts.DecimalsOf(t.Amount) > group.Precision)
            throw new RuleViolationException(CreditCodes.AmountPrecision, "Too many decimals",
                $"the amount {t.Amount} has more than the unit's {group.Precision} decimals", "amount");
        if (t.Unit != group.Symbol)
            throw new RuleViolationException(CreditCodes.UnitMismatch, "Other unit", $"the group's unit is {group.Symbol}, not {t.Unit}", "unit");
        foreach (var (field, actor) in new[] { ("payer", t.Payer), ("payee", t.Payee) })
            if (group.Member(actor) is null)
                throw new RuleViolationException(CreditCodes.NotInGroup, "Not in the group", $"the {field} {actor} is no member of the group", field);
        if (t.Payer == t.Payee || (t.Payer != binding.Account && t.Payee != binding.Account))
            throw new RuleViolationException(CreditCodes.NotInGroup, "Not this account",
                $"a transaction of this ledger is between its account {binding.Account} and another member", "payer");
        if (book.NonceUsedBy(ledger, t.Payer, t.Nonce) is { } used)
            throw new RuleConflictException(CreditCodes.NonceReplayed, "Nonce used", $"the payer already used this nonce for transaction {used}");
        if (t.Compensates is { } corrected && (book.Transaction(ledger, corrected) is not { } c
            || c.State != TransactionStates.Completed || c.Payer != t.Payee || c.Payee != t.Payer))
            throw new RuleViolationException(CreditCodes.CompensationInvalid, "Nothing to compensate",
                $"{corrected} is no completed transaction of this ledger from {t.Payee} to {t.Payer}", "compensates");
    }

    /// <summary>Undoes what a pending transaction holds (its reservation or expected receipt); a final one holds nothing.</summary>
    public static AccountState Release(AccountState account, CreditTransaction pending, string me) =>
        pending.State != TransactionStates.Pending ? account
        : pending.Payer == me ? account with { Reserved = account.Reserved - pending.Value }
        : account with { Expected = account.Expected - pending.Value };

    public static AccountState Apply(AccountState account, CreditTransaction t, GroupMember me)
    {
        var paying = t.Payer == me.Actor;
        var amount = t.Value;
        switch (t.State)
        {
            case TransactionStates.Pending:
                CheckRoom(account, amount, paying, me);
                return paying ? account with { Reserved = account.Reserved + amount } : account with { Expected = account.Expected + amount };
            case TransactionStates.Completed:
                if (t.Previous != account.Head || t.Link != HashChain.Link(account.Head, t))
                    throw new RuleConflictException(CreditCodes.ChainMismatch, "Chain moved",
                        $"transaction {t.Id} does not link to this ledger's head {account.Head}; link it again");
                CheckRoom(account, amount, paying, me);
                return account with { Balance = account.Balance + (paying ? -amount : amount), Count = account.Count + 1, Head = t.Link };
            default:
                return account;
        }
    }

    private static void CheckRoom(AccountState account, decimal amount, bool paying, GroupMember me)
    {
        if (paying && account.Balance - account.Reserved - amount < me.Lowest)
            throw new RuleConflictException(CreditCodes.BelowLowestLimit, "Below the lowest limit",
                $"paying {Amounts.Text(amount)} would leave {Amounts.Text(account.Balance - account.Reserved - amount)} with what is reserved; the lowest balance is {Amounts.Text(me.Lowest)}");
        if (!paying && account.Balance + account.Expected + amount > me.Highest)
            throw new RuleConflictException(CreditCodes.AboveHighestLimit, "Above the highest limit",
                $"receiving {Amounts.Text(amount)} would take the balance to {Amounts.Text(account.Balance + account.Expected + amount)} with what is expected; the highest balance is {Amounts.Text(me.Highest)}");
    }
}
