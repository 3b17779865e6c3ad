using Commons.Core.Datasets;
using Commons.Core.Errors;

namespace Commons.Core.Access;

/// <summary>What a caller may do with a dataset, from nothing to stewardship.</summary>
public enum AccessLevel { None = 0, Read = 1, Edit = 2, Steward = 3 }

/// <summary>
/// The one place where access to datasets is decided.
/// Admins are stewards of everything. A grant gives its role. Without a grant a member may read a dataset that is
/// shared outside the node (any policy but private) and nothing else; a private dataset does not exist for them.
/// A token without the write scope never edits; a hidden dataset answers "not found", never "forbidden".
/// </summary>
public static class DatasetAccess
{
    public static AccessLevel LevelOf(Caller caller, Dataset dataset)
    {
        if (caller.IsAdmin) return AccessLevel.Steward;
        return dataset.GrantOf(caller.Username) switch
        {
            GrantRole.Steward => AccessLevel.Steward,
            GrantRole.Editor => AccessLevel.Edit,
            GrantRole.Viewer => AccessLevel.Read,
            _ => dataset.Policy == SharingPolicy.Private ? AccessLevel.None : AccessLevel.Read,
        };
    }

    public static bool CanSee(Caller caller, Dataset dataset) => caller.CanRead && LevelOf(caller, dataset) >= AccessLevel.Read;

    /// <summary>Throws not-found when the caller may not know the dataset exists, forbidden when it may but not do this.</summary>
    public static void Require(Caller caller, Dataset dataset, AccessLevel needed)
    {
        var level = LevelOf(caller, dataset);
        if (level == AccessLevel.None || !caller.CanRead)
            throw new NotFoundException($"no dataset '{dataset.Slug}'");
        if (level < needed)
            throw new ForbiddenException(needed == AccessLevel.Steward
                ? $"only a steward of '{dataset.Slug}' may do this"
                : $"only an editor or steward of '{dataset.Slug}' may change its records");
        if (needed > AccessLevel.Read && !caller.CanWrite)
            throw new ForbiddenException("this token has no write scope");
    }

    /// <summary>Node-wide administration: admin role and, for tokens, the admin scope.</summary>
    public static void RequireAdmin(Caller caller)
    {
        if (!caller.CanAdminister)
            throw new ForbiddenException(caller.IsAdmin ? "this token has no admin scope" : "only an administrator may do this");
    }

    public static void RequireWrite(Caller caller)
    {
        if (!caller.CanWrite) throw new ForbiddenException("this token has no write scope");
    }
}
