using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Node.Web.Components.Forms;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Members;

/// <summary>
/// Says a failed member field in the reader's language, next to the input that holds it. The rules stay in Core
/// (MemberService, Usernames, PasswordHasher); this only explains them.
/// </summary>
public static class MemberFieldErrors
{
    /// <summary>Files a Core validation failure under the form's inputs (one message per input); <paramref name="fields"/> maps Core's field names to the form's.</summary>
    public static void Add(this FormErrors errors, ValidationException e, IReadOnlyDictionary<string, string> fields, IStringLocalizer<MembersText> text)
    {
        foreach (var error in e.Errors)
        {
            var input = fields.GetValueOrDefault(error.Path, fields.Values.First());
            if (!errors.Has(input)) errors.Add(input, Explain(error.Path, error.Message, text));
        }
    }

    private static string Explain(string coreField, string message, IStringLocalizer<MembersText> text) => coreField switch
    {
        "username" => text["UsernameRule"],
        "password" or "newPassword" => text["PasswordRule", PasswordHasher.MinimumLength],
        "currentPassword" => text["CurrentPasswordWrong"],
        "displayName" => text["DisplayNameRule"],
        "nodeName" => text["NodeNameRule"],
        "preferredLanguage" => text["LanguageRule"],
        _ => message,
    };
}
