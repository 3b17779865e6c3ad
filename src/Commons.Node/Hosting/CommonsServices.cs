using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Node.Hosting.Modules;
using Microsoft.Extensions.Options;

namespace Commons.Node.Hosting;

/// <summary>The registrations the web host and the CLI share: the store, the stores behind Core's interfaces, the services.</summary>
public static class CommonsServices
{
    public static IServiceCollection AddCommons(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NodeOptions>(configuration.GetSection(NodeOptions.Section));
        // Schemas keep the limit they were compiled with, so it is set here, before the first one is compiled.
        var patternTimeout = configuration.GetSection(NodeOptions.Section).Get<NodeOptions>()?.Limits.PatternTimeoutMilliseconds;
        if (patternTimeout is < 1 or > 10_000)
            throw new InvalidOperationException($"Commons:Limits:PatternTimeoutMilliseconds is {patternTimeout}; it must be between 1 and 10000");
        if (patternTimeout is { } ms) Core.Schemas.SchemaLimits.PatternTimeout = TimeSpan.FromMilliseconds(ms);
        services.AddSingleton(TimeProvider.System);
        services.AddStorage();
        services.AddNodeModules(configuration);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NodeOptions>>().Value.Limits);
        services.AddSingleton(sp => new PasswordHasher(sp.GetRequiredService<IOptions<NodeOptions>>().Value.Security.PasswordIterations));
        services.AddSingleton<DatasetService>();
        services.AddSingleton<RecordService>();
        services.AddSingleton<MemberService>();
        services.AddSingleton<AccessTokenService>();
        services.AddSingleton<InvitationService>();
        services.AddSingleton<NodeProfileService>();
        services.AddSingleton<NodeBootstrap>();
        return services;
    }
}
