using System.CommandLine;
using Commons.Core.Members;
using Commons.Core.Services;

namespace Commons.Node.Cli;

internal static class MemberCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var member = new Command("member", "Manage the node's members.");

        var username = new Argument<string>("username") { Description = "Login name: a-z, 0-9, '_', '.', '-'." };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown to others." };
        var admin = new Option<bool>("--admin") { Description = "Make the member an administrator." };
        var add = new Command("add", "Add a member; prints a one-time password.") { username, displayName, admin };
        add.SetAction(p =>
        {
            var c = context();
            var password = PasswordHasher.Generate();
            var m = c.Get<MemberService>().Add(CliContext.Operator, p.GetValue(username)!, p.GetValue(displayName), password,
                p.GetValue(admin) ? MemberRole.Admin : MemberRole.Member, mustChangePassword: true);
            c.Out.WriteLine($"added {m.Username} ({m.Role.ToString().ToLowerInvariant()})");
            c.Out.WriteLine($"one-time password: {password}");
            return 0;
        });

        var list = new Command("list", "List members.");
        list.SetAction(p =>
        {
            var c = context();
            var members = c.Get<MemberService>().List(CliContext.Operator);
            c.Out.WriteLine($"{"USERNAME",-24} {"ROLE",-8} {"STATE",-9} DISPLAY NAME");
            foreach (var m in members)
                c.Out.WriteLine($"{m.Username,-24} {m.Role.ToString().ToLowerInvariant(),-8} {(m.Disabled ? "disabled" : "active"),-9} {m.DisplayName}");
            return 0;
        });

        var disableUser = new Argument<string>("username");
        var enable = new Option<bool>("--enable") { Description = "Enable the member again instead." };
        var disable = new Command("disable", "Disable a member: their sessions and tokens stop working at once.") { disableUser, enable };
        disable.SetAction(p =>
        {
            var c = context();
            var on = p.GetValue(enable);
            var m = c.Get<MemberService>().Update(CliContext.Operator, p.GetValue(disableUser)!, null, null, disabled: !on);
            c.Out.WriteLine($"{m.Username} is {(m.Disabled ? "disabled" : "enabled")}");
            return 0;
        });

        var resetUser = new Argument<string>("username");
        var reset = new Command("reset-password", "Give a member a new one-time password and sign them out everywhere.") { resetUser };
        reset.SetAction(p =>
        {
            var c = context();
            var password = PasswordHasher.Generate();
            var m = c.Get<MemberService>().ResetPassword(CliContext.Operator, p.GetValue(resetUser)!, password, mustChange: true);
            c.Out.WriteLine($"new one-time password for {m.Username}: {password}");
            return 0;
        });

        member.Add(add);
        member.Add(list);
        member.Add(disable);
        member.Add(reset);
        return member;
    }
}
