using Commons.Core.Federation;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Node.Tests.Cli;

/// <summary>'deliveries discard' and 'deliveries retry-dead': the same queue operations as the administration page and API.</summary>
public sealed class DeadLetterCliTests
{
    private static DeliveryItem Item(string id, bool dead) => new()
    {
        Id = id, Inbox = "https://gone.invalid/inbox", Sender = "_node", ActivityJson = "{}", ActivityType = "Create",
        CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow.AddDays(1), Dead = dead, Attempts = 3, LastError = "HTTP 403",
    };

    [Fact]
    public async Task Dead_letters_are_discarded_and_retried_from_the_command_line()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, (await CommonsCli.RunAsync(temp.Path, "init")).ExitCode);
        using (var database = CommonsDatabase.Open(temp.Path))
            new LiteDeliveryQueue(database).Enqueue([Item("deadone", true), Item("deadtwo", true), Item("alive", false)]);

        Assert.Contains("deadone", (await CommonsCli.RunAsync(temp.Path, "deliveries", "--dead")).Out);
        var discarded = await CommonsCli.RunAsync(temp.Path, "deliveries", "discard", "deadone");
        Assert.Equal(0, discarded.ExitCode);
        var again = await CommonsCli.RunAsync(temp.Path, "deliveries", "discard", "deadone");
        // The one line of every refusal the service decides, ending with its code.
        Assert.Equal((1, "error: no dead letter 'deadone' [not_found]"), (again.ExitCode, again.Err.Trim()));
        Assert.Equal(1, (await CommonsCli.RunAsync(temp.Path, "deliveries", "discard", "alive")).ExitCode);

        var retried = await CommonsCli.RunAsync(temp.Path, "deliveries", "retry-dead");
        Assert.Equal(0, retried.ExitCode);
        Assert.Contains("1 dead letters queued again", retried.Out);

        using var check = CommonsDatabase.Open(temp.Path);
        var queue = new LiteDeliveryQueue(check);
        Assert.Null(queue.Find("deadone"));
        Assert.False(queue.Find("deadtwo")!.Dead);
        Assert.NotNull(queue.Find("alive"));
    }
}
