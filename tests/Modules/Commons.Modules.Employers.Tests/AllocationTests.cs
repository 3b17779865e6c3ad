using Commons.Core.Errors;
using Commons.Modules.Employers.Allocation;
using Commons.Modules.Employers.Tests.Support;
using static Commons.Modules.Employers.Tests.Support.EmployersNode;

namespace Commons.Modules.Employers.Tests;

/// <summary>
/// The group over three months, closed through the service on a real store: January and March split by the
/// hours entered, February (no hours entered) by the planned shares; every worker's shares add up to the cost to the
/// cent, the missing cents going to the largest remainders.
/// </summary>
public sealed class AllocationTests : IDisposable
{
    private readonly EmployersNode _node = new EmployersNode().WithGroup();

    public void Dispose() => _node.Dispose();

    private ClosedMonth Close(string month) => _node.Group.CloseMonth(Admin, month);

    private static decimal Share(ClosedMonth month, string worker, string member) =>
        month.Workers.Single(w => w.Worker == worker).Shares.Single(s => s.Member == member).Amount;

    [Fact]
    public void Three_organisations_two_workers_three_months_one_without_hours_reconcile_to_the_cent()
    {
        _node.EnterHours("anne", A, "2026-01", "80"); _node.EnterHours("anne", B, "2026-01", "50"); _node.EnterHours("anne", C, "2026-01", "30");
        _node.EnterHours("bram", B, "2026-01", "40"); _node.EnterHours("bram", C, "2026-01", "42.5");
        _node.EnterHours("anne", A, "2026-03", "100"); _node.EnterHours("anne", B, "2026-03", "33.33"); _node.EnterHours("anne", C, "2026-03", "33.33");
        _node.EnterHours("bram", B, "2026-03", "70.25");

        var january = Close("2026-01");
        var february = Close("2026-02");
        var march = Close("2026-03");

        Assert.Equal([1625.20m, 1015.75m, 609.45m], [Share(january, "anne", A), Share(january, "anne", B), Share(january, "anne", C)]);
        // 824.2424… and 875.7575…: the one missing cent goes to C, whose part lost more in rounding down.
        Assert.Equal([824.24m, 875.76m], [Share(january, "bram", B), Share(january, "bram", C)]);
        Assert.All(february.Workers, w => Assert.Equal(AllocationBasis.PlannedShare, w.Basis));
        Assert.Equal([1625.20m, 975.12m, 650.08m], [Share(february, "anne", A), Share(february, "anne", B), Share(february, "anne", C)]);
        Assert.Equal([1020.00m, 680.00m], [Share(february, "bram", B), Share(february, "bram", C)]);
        // 1950.3297…, 650.0398… twice: two cents missing, one each to B and C (larger remainders than A's).
        Assert.Equal([1950.32m, 650.04m, 650.04m], [Share(march, "anne", A), Share(march, "anne", B), Share(march, "anne", C)]);
        // C entered no hours for Bram in March while B did: pro rata of the hours, C pays nothing.
        Assert.Equal([1700.00m, 0.00m], [Share(march, "bram", B), Share(march, "bram", C)]);

        foreach (var month in new[] { january, february, march })
        {
            Assert.All(month.Workers, w => Assert.Equal(w.Cost, w.Shares.Sum(s => s.Amount)));
            Assert.Equal(4950.40m, month.TotalOf(A) + month.TotalOf(B) + month.TotalOf(C));
        }
        Assert.Equal(["2026-01", "2026-02", "2026-03"], _node.Group.ClosedMonths(Admin));
        Assert.Equal(march.Workers.Count, _node.Group.Closed(Alice, "2026-03").Workers.Count);
    }

    [Fact]
    public void After_closing_hours_for_that_month_are_refused_and_nothing_is_stored()
    {
        var entered = _node.EnterHours("anne", A, "2026-01", "80");
        Close("2026-01");
        var stored = _node.Count("hours");

        Assert.Equal("month_closed", Assert.ThrowsAny<CommonsException>(() => _node.EnterHours("anne", B, "2026-01", "10")).Code);
        Assert.Equal("month_closed", Assert.ThrowsAny<CommonsException>(() =>
            _node.Records.Update(Admin, "hours", entered.Id, Doc($$"""{"worker":"anne","member":"{{A}}","month":"2026-01","hours":"81"}"""), null, null)).Code);
        Assert.Equal("month_closed", Assert.ThrowsAny<CommonsException>(() => _node.Records.Delete(Admin, "hours", entered.Id, null)).Code);
        Assert.Equal(stored, _node.Count("hours"));
        Assert.Equal("80", _node.Records.Get(Admin, "hours", entered.Id).Data.GetProperty("hours").GetString());
        // Another month still takes hours.
        _node.EnterHours("anne", B, "2026-02", "10");
    }

    [Fact]
    public void A_month_closes_once_and_only_for_a_steward_of_the_groups_settings()
    {
        Assert.Equal("forbidden", Assert.ThrowsAny<CommonsException>(() => _node.Group.CloseMonth(Alice, "2026-01")).Code);
        Assert.Equal("no_statement", Assert.ThrowsAny<CommonsException>(() => _node.Group.Closed(Admin, "2026-01")).Code);
        Close("2026-01");
        Assert.Equal("month_closed", Assert.ThrowsAny<CommonsException>(() => Close("2026-01")).Code);
        Assert.Equal("validation_failed", Assert.ThrowsAny<CommonsException>(() => Close("2026-1")).Code);
    }

    [Fact]
    public void Hours_of_all_members_together_stay_within_the_contract_of_the_month()
    {
        // Bram: 19 h a week, 76 h in February 2026 (28 days).
        _node.EnterHours("bram", B, "2026-02", "50");
        Assert.Equal("hours_over_contract", Assert.ThrowsAny<CommonsException>(() => _node.EnterHours("bram", C, "2026-02", "26.01")).Code);
        _node.EnterHours("bram", C, "2026-02", "26");
        Assert.Equal("hours_exist", Assert.ThrowsAny<CommonsException>(() => _node.EnterHours("bram", C, "2026-02", "1")).Code);
    }

    [Fact]
    public void One_group_per_node_and_a_worker_is_removed_only_once_unassigned()
    {
        _node.CreateDataset("group2", "employers.group");
        Assert.Equal("group_exists", Assert.ThrowsAny<CommonsException>(() => _node.Records.Create(Admin, "group2", null,
            Doc("""{"name":"Other","allocationRule":"pro_rata_hours","fallbackRule":"planned_share","members":[]}"""))).Code);
        Assert.Equal("worker_assigned", Assert.ThrowsAny<CommonsException>(() => _node.Records.Delete(Admin, "workers", "bram", null)).Code);
    }
}
