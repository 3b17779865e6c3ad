namespace Commons.Core.Members;

public interface IMemberStore
{
    Member? Find(string username);
    IReadOnlyList<Member> List();
    /// <summary>Inserts a new member; throws <see cref="Errors.ConflictException"/> if the username is taken.</summary>
    void Add(Member member);
    void Update(Member member);
    int Count();
}
