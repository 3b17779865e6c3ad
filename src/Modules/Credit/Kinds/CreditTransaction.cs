using System.Text.Json;
using System.Text.Json.Nodes;

namespace Commons.Modules.Credit.Kinds;

/// <summary>Where a transaction stands. Only a pending one moves; the three others are final.</summary>
public static class TransactionStates
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Refused = "refused";
    public const string Expired = "expired";
}

/// <summary>One transaction as a <c>credit.ledger</c> record holds it (schema credit.ledger.v1); amounts stay text.</summary>
public sealed record CreditTransaction
{
    public required string Id { get; init; }
    public required string Payer { get; init; }
    public required string Payee { get; init; }
    public required string Amount { get; init; }
    public required string Unit { get; init; }
    public string? Memo { get; init; }
    public required string Nonce { get; init; }
    public required string Time { get; init; }
    public required string State { get; init; }
    public string? Compensates { get; init; }
    public string? RequestId { get; init; }
    public string? Reason { get; init; }
    public string? Previous { get; init; }
    public string? Link { get; init; }

    public decimal Value => Amounts.Parse(Amount);
    public bool IsFinal => State != TransactionStates.Pending;

    /// <summary>The fields the chain covers and both sides must hold alike.</summary>
    public bool SameTransfer(CreditTransaction other) =>
        Id == other.Id && Payer == other.Payer && Payee == other.Payee && Amount == other.Amount && Unit == other.Unit
        && (Memo ?? "") == (other.Memo ?? "") && Nonce == other.Nonce && Time == other.Time && Compensates == other.Compensates;

    public static CreditTransaction Of(JsonElement data) => new()
    {
        Id = data.GetProperty("id").GetString()!,
        Payer = data.GetProperty("payer").GetString()!,
        Payee = data.GetProperty("payee").GetString()!,
        Amount = data.GetProperty("amount").GetString()!,
        Unit = data.GetProperty("unit").GetString()!,
        Memo = Optional(data, "memo"),
        Nonce = data.GetProperty("nonce").GetString()!,
        Time = data.GetProperty("time").GetString()!,
        State = data.GetProperty("state").GetString()!,
        Compensates = Optional(data, "compensates"),
        RequestId = Optional(data, "requestId"),
        Reason = Optional(data, "reason"),
        Previous = Optional(data, "previous"),
        Link = Optional(data, "link"),
    };

    public JsonElement ToJson()
    {
        var o = new JsonObject
        {
            ["id"] = Id, ["payer"] = Payer, ["payee"] = Payee, ["amount"] = Amount, ["unit"] = Unit,
            ["nonce"] = Nonce, ["time"] = Time, ["state"] = State,
        };
        if (Memo is not null) o["memo"] = Memo;
        if (Compensates is not null) o["compensates"] = Compensates;
        if (RequestId is not null) o["requestId"] = RequestId;
        if (Reason is not null) o["reason"] = Reason;
        if (Previous is not null) o["previous"] = Previous;
        if (Link is not null) o["link"] = Link;
        return JsonSerializer.SerializeToElement(o);
    }

    /// <summary>This transaction completed after <paramref name="head"/>: its previous link and its own.</summary>
    public CreditTransaction CompletedAfter(string head) =>
        this with { State = TransactionStates.Completed, Previous = head, Link = HashChain.Link(head, this) };

    /// <summary>What a transfer request carries (<c>credit.pay</c>, <c>credit.bill</c>): the agreed fields, signed with the request.</summary>
    public JsonElement WireBody()
    {
        var o = new JsonObject
        {
            ["id"] = Id, ["payer"] = Payer, ["payee"] = Payee, ["amount"] = Amount, ["unit"] = Unit, ["nonce"] = Nonce, ["time"] = Time,
        };
        if (Memo is not null) o["memo"] = Memo;
        if (Compensates is not null) o["compensates"] = Compensates;
        return JsonSerializer.SerializeToElement(o);
    }

    /// <summary>A request's body as a transaction in <paramref name="state"/>; a validation failure when a field is missing or not text.</summary>
    public static CreditTransaction FromWire(JsonElement body, string state)
    {
        if (body.ValueKind != JsonValueKind.Object) throw Core.Errors.ValidationException.For("body", "a JSON object");
        string Required(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s : throw Core.Errors.ValidationException.For(name, "required, as text");
        string? Text(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var amount = Required("amount");
        if (!decimal.TryParse(amount, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
                System.Globalization.CultureInfo.InvariantCulture, out _))
            throw Core.Errors.ValidationException.For("amount", "a decimal written as text");
        return new CreditTransaction
        {
            Id = Required("id"), Payer = Required("payer"), Payee = Required("payee"), Amount = amount, Unit = Required("unit"),
            Memo = Text("memo"), Nonce = Required("nonce"), Time = Required("time"), State = state, Compensates = Text("compensates"),
        };
    }

    private static string? Optional(JsonElement data, string name) => data.TryGetProperty(name, out var v) ? v.GetString() : null;
}
