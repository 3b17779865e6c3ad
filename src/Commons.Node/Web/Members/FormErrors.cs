using Commons.Core.Errors;
using Commons.Core.Members;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Members;

/// <summary>
/// The errors of one form, by field, in the reader's language. The rules stay in Core (MemberService, Usernames,
/// PasswordHasher); this only says what a failed field means, next to the input that holds it.
/// </summary>
public sealed class FormErrors(IStringLocalizer<MembersText> text)
{
    private readonly Dictionary<string, string> _byField = new(StringComparer.Ordinal);

    public bool Any => _byField.Count > 0;
    public IEnumerable<string> Messages => _byField.Values;
    public string? this[string field] => _byField.GetValueOrDefault(field);

    /// <summary>The id of the error paragraph that describes <paramref name="field"/>, when it failed (for aria-describedby).</summary>
    public string? DescribedBy(string field) => _byField.ContainsKey(field) ? ErrorId(field) : null;
    public string? Invalid(string field) => _byField.ContainsKey(field) ? "true" : null;
    public static string ErrorId(string field) => $"{field}-error";

    public void Add(string field, string message) => _byField.TryAdd(field, message);

    /// <summary>Files a Core validation failure under the form's fields; <paramref name="fields"/> maps Core's field names to the form's.</summary>
    public void Add(ValidationException e, IReadOnlyDictionary<string, string> fields)
    {
        foreach (var error in e.Errors)
        {
            var field = fields.GetValueOrDefault(error.Path, fields.Values.First());
            Add(field, Explain(error.Path, error.Message));
        }
    }

    private string Explain(string coreField, string message) => coreField switch
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
