using Commons.Core.Errors;

namespace Commons.Core.Kinds;

/// <summary>
/// A write that collides with what is stored (the room is already booked then): answered 409 with the rule's
/// <see cref="CommonsException.Code"/>. Trying again after the other write changes may succeed.
/// </summary>
public sealed class RuleConflictException(string code, string title, string detail) : CommonsException(code, title, detail);

/// <summary>
/// A write that breaks a kind's rule whatever else is stored (a booking longer than allowed): answered 422 with the
/// rule's <see cref="CommonsException.Code"/>, and <see cref="Path"/> naming the field when there is one.
/// </summary>
public sealed class RuleViolationException(string code, string title, string detail, string? path = null) : CommonsException(code, title, detail)
{
    public string? Path { get; } = path;
}
