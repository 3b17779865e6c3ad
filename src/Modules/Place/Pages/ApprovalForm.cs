namespace Commons.Modules.Place.Pages;

/// <summary>A steward's decision as posted: the pressed button's value, <c>approve:{booking}</c> or <c>refuse:{booking}</c>.</summary>
public sealed class ApprovalForm
{
    public string? Choice { get; set; }

    public (string? Action, string? Id) Read()
    {
        var colon = Choice?.IndexOf(':') ?? -1;
        if (colon <= 0 || colon == Choice!.Length - 1) return (null, null);
        var action = Choice[..colon];
        return action is "approve" or "refuse" ? (action, Choice[(colon + 1)..]) : (null, null);
    }
}
