using Commons.Federation.Http;

namespace Commons.Federation.Tests.Http;

/// <summary>The workers' poll interval is the safety net behind every wake-up: zero or negative would spin or stop them.</summary>
public sealed class FederationOptionsTests
{
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    public void A_worker_poll_interval_that_is_not_positive_is_refused_naming_the_setting(string interval)
    {
        var options = new FederationOptions { WorkerPollInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) };
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains("Federation:WorkerPollInterval must be positive", e.Message);
    }

    [Fact]
    public void The_default_poll_is_half_a_second_and_a_long_one_is_allowed()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(500), new FederationOptions().WorkerPollInterval);
        new FederationOptions { WorkerPollInterval = TimeSpan.FromMinutes(10) }.Validate();
    }
}
