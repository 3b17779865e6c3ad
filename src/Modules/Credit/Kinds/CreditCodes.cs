namespace Commons.Modules.Credit.Kinds;

/// <summary>
/// The codes mutual credit's rules and requests answer with: the same on the API (problem+json), in a page and in a
/// refused transfer from a peer. Listed in docs/problems.md, section Modules.
/// </summary>
public static class CreditCodes
{
    /// <summary>409: paying would take the balance, less what is reserved, below the account's lowest limit.</summary>
    public const string BelowLowestLimit = "below_lowest_limit";
    /// <summary>409: receiving would take the balance, with what is expected, above the account's highest limit.</summary>
    public const string AboveHighestLimit = "above_highest_limit";
    /// <summary>409: a completed, refused or expired transaction is never changed or deleted; only a pending one's state moves.</summary>
    public const string TransactionFinal = "transaction_final";
    /// <summary>409: this payer already used this nonce for another transaction.</summary>
    public const string NonceReplayed = "nonce_replayed";
    /// <summary>422: the amount has more decimals than the unit's precision.</summary>
    public const string AmountPrecision = "amount_precision";
    /// <summary>422: the amount is zero or less.</summary>
    public const string AmountNotPositive = "amount_not_positive";
    /// <summary>422: the payer or the payee is no member of the group, or neither is this ledger's account.</summary>
    public const string NotInGroup = "not_in_group";
    /// <summary>422: the unit is not the group's.</summary>
    public const string UnitMismatch = "unit_mismatch";
    /// <summary>409: the ledger joined no exchange group yet.</summary>
    public const string LedgerNotJoined = "ledger_not_joined";
    /// <summary>409: the chain link is not the one the ledger's head gives (another transaction completed meanwhile); try again.</summary>
    public const string ChainMismatch = "chain_mismatch";
    /// <summary>422: the compensated transaction is not a completed one of this ledger with payer and payee swapped.</summary>
    public const string CompensationInvalid = "compensation_invalid";
    /// <summary>422: the transaction's id is not its record's id.</summary>
    public const string TransactionIdMismatch = "transaction_id_mismatch";
    /// <summary>422: a group whose lowest limit is above zero or highest below zero, or a duplicated member.</summary>
    public const string GroupInvalid = "group_invalid";
    /// <summary>Refused request: the node asking is not the transaction's payer (a pay) or payee (a bill).</summary>
    public const string NotAllowed = "not_allowed";

    /// <summary>409: the transfer's time is older than the group's transfer timeout; it is refused, and expires on the asking side.</summary>
    public const string TransferExpired = "transfer_expired";
    /// <summary>Refused request: its signed activity does not prove the transfer from the payer (a payment) or the payee (a bill).</summary>
    public const string TransferUnsigned = "transfer_unsigned";
    /// <summary>422: the limits' change names no lowest or highest balance, or an override for a node that is no member.</summary>
    public const string LimitsInvalid = "limits_invalid";

    /// <summary>422: the coordinating node lists this node in no exchange group there (or no longer).</summary>
    public const string NotListed = "not_listed";
    /// <summary>409: the ledger the group lists for this node has joined a group already.</summary>
    public const string AlreadyJoined = "already_joined";
    /// <summary>422: the group lists as this node's ledger an address that is no dataset of this node.</summary>
    public const string LedgerNotHere = "ledger_not_here";
    /// <summary>409: a group's limits change only through the limits change (<c>PUT …/limits</c>), which a committee may govern; a plain record write may not change them.</summary>
    public const string LimitsGoverned = "limits_governed";

    public static readonly IReadOnlyList<string> OfGroup = [GroupInvalid, AmountPrecision, LimitsInvalid, LimitsGoverned, NotListed, AlreadyJoined, LedgerNotHere];

    public static readonly IReadOnlyList<string> OfLedger =
    [
        BelowLowestLimit, AboveHighestLimit, TransactionFinal, NonceReplayed, AmountPrecision, AmountNotPositive, NotInGroup,
        UnitMismatch, LedgerNotJoined, ChainMismatch, CompensationInvalid, TransactionIdMismatch, NotAllowed, TransferExpired, TransferUnsigned,
    ];
}
