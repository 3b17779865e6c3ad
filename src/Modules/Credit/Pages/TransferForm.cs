namespace Commons.Modules.Credit.Pages;

/// <summary>A payment or a bill as posted: the other member's actor, the amount as typed, a memo.</summary>
public sealed class TransferForm
{
    public string? Other { get; set; }
    public string? Amount { get; set; }
    public string? Memo { get; set; }
}

/// <summary>A member's answer to a bill as posted: the pressed button's value, <c>accept:{request}</c> or <c>refuse:{request}</c>.</summary>
public sealed class BillAnswerForm
{
    public string? Choice { get; set; }

    public (string? Action, string? RequestId) Read()
    {
        var colon = Choice?.IndexOf(':') ?? -1;
        if (colon <= 0 || colon == Choice!.Length - 1) return (null, null);
        var action = Choice[..colon];
        return action is "accept" or "refuse" ? (action, Choice[(colon + 1)..]) : (null, null);
    }
}

/// <summary>A group to join as posted: its coordinating node's group dataset (handle or web address) and, when needed, the group's id.</summary>
public sealed class GroupJoinForm
{
    public string? Address { get; set; }
    public string? Group { get; set; }
}
