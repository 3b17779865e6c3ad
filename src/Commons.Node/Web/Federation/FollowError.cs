using Commons.Core.Errors;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Federation;

/// <summary>
/// Why following a target failed, told in the page's language. The rules are <c>SubscriptionManager.FollowAsync</c>'s
/// (the same call as POST /api/subscriptions); this only picks the sentence for the reason it gave, and keeps its
/// technical detail (in English, as the API and CLI show it) for whoever needs it.
/// </summary>
public sealed record FollowError(string Message, string? Detail)
{
    public static FollowError Of(ValidationException e, IStringLocalizer<FederationText> t)
    {
        var detail = e.Errors.Count > 0 ? e.Errors[0].Message : e.Message;
        if (detail.StartsWith("a dataset handle", StringComparison.Ordinal)) return new(t["FollowErrorFormat"], null);
        if (detail.StartsWith("that dataset is on this node", StringComparison.Ordinal)) return new(t["FollowErrorOurs"], null);
        if (e.Code == ProblemCodes.NotADataset) return new(t["FollowErrorNotADataset"], detail);
        if (detail.Contains("Refusing to connect", StringComparison.Ordinal) || detail.Contains("not allowed by the domain policy", StringComparison.Ordinal))
            return new(t["FollowErrorRefused"], detail);
        if (detail.StartsWith("cannot find", StringComparison.Ordinal)) return new(t["FollowErrorUnknown"], detail);
        return new(t["FollowErrorFetch"], detail);
    }
}
