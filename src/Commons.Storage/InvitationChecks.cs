using LiteDB;

namespace Commons.Storage;

/// <summary>The invitations part of <c>commons-node check</c>: every invitation keeps a whole token hash, and a used one names a member who exists.</summary>
internal static class InvitationChecks
{
    public static void Run(CommonsDatabase database, List<string> problems)
    {
        var members = database.Engine.GetCollection("members");
        foreach (var doc in database.Engine.GetCollection(LiteInvitationStore.Collection).FindAll())
        {
            var id = doc["_id"].IsString ? doc["_id"].AsString : doc["_id"].ToString();
            if (!doc["hash"].IsString || doc["hash"].AsString.Length != 64 || !doc["expiresAt"].IsInt64)
            {
                problems.Add($"invitation {id} is damaged (no token hash or expiry)");
                continue;
            }
            if (doc["usedBy"].IsString && members.FindById(doc["usedBy"].AsString) is null)
                problems.Add($"invitation {id} was used by '{doc["usedBy"].AsString}', who is not a member");
        }
    }
}
