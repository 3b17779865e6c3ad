using System.Security.Cryptography;
using Commons.Modules.Employers.Statements;
using Commons.Modules.Employers.Tests.Support;
using static Commons.Modules.Employers.Tests.Support.EmployersNode;

namespace Commons.Modules.Employers.Tests;

/// <summary>
/// Origin, not only integrity: a statement checks against the keys the group node publishes, not the key it carries.
/// One signed with another key (whole under its own KeyInfo) is <c>statement_foreign_key</c>; a changed amount is
/// <c>signature_invalid</c> under the right key too.
/// </summary>
public sealed class StatementOriginTests : IDisposable
{
    private readonly EmployersNode _node = new EmployersNode().WithGroup();

    public StatementOriginTests()
    {
        _node.EnterHours("anne", B, "2026-01", "50");
        _node.Group.CloseMonth(Admin, "2026-01");
    }

    public void Dispose() => _node.Dispose();

    private string GroupKey() => _node.SigningKey.RsaPublicPem;

    [Fact]
    public void A_statement_signed_by_the_group_nodes_key_checks_against_it()
    {
        var check = StatementSignature.VerifyFrom(_node.Group.MemberStatement(Admin, "2026-01", "b.example"), [GroupKey()]);
        Assert.Equal((true, StatementSignature.Valid), (check.Valid, check.Code));
        using var rsa = _node.SigningKey.OpenRsa();
        Assert.Equal(StatementSignature.Fingerprint(rsa), check.KeyFingerprint);
    }

    [Fact]
    public void A_statement_signed_with_another_key_is_whole_but_foreign()
    {
        var closed = _node.Group.Closed(Admin, "2026-01");
        using var other = RSA.Create(2048);
        var forged = StatementSignature.Sign(StatementXml.Member(closed, B), other);
        Assert.True(StatementSignature.Verify(forged).Valid);
        var check = StatementSignature.VerifyFrom(forged, [GroupKey()]);
        Assert.Equal((false, StatementSignature.ForeignKey), (check.Valid, check.Code));
        Assert.Equal(StatementSignature.Fingerprint(other), check.KeyFingerprint);
        Assert.Equal(StatementSignature.ForeignKey, StatementSignature.VerifyFrom(forged, []).Code);
    }

    [Fact]
    public void A_changed_amount_fails_under_the_group_nodes_key_and_garbage_keys_are_skipped()
    {
        var xml = _node.Group.MemberStatement(Admin, "2026-01", "b.example");
        var changed = xml.Replace("<total>", "<total>1");
        Assert.Equal(StatementSignature.Invalid, StatementSignature.VerifyFrom(changed, [GroupKey()]).Code);
        Assert.True(StatementSignature.VerifyFrom(xml, ["not a key", GroupKey()]).Valid);
        Assert.Equal(StatementSignature.Malformed, StatementSignature.VerifyFrom("<statement", [GroupKey()]).Code);
    }
}
