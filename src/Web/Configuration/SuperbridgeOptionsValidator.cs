using Microsoft.Extensions.Options;

namespace Superbridge.Web.Configuration;

/// <summary>Fails start-up with a message naming the setting, instead of a confusing error later.</summary>
internal sealed class SuperbridgeOptionsValidator : IValidateOptions<SuperbridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, SuperbridgeOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Superbridge:DataDirectory must not be empty.");
        }
        if (options.SshConnectTimeoutSeconds is < 1 or > 600)
        {
            failures.Add("Superbridge:SshConnectTimeoutSeconds must be between 1 and 600.");
        }
        if (options.SshCommandTimeoutSeconds is < 1 or > 3600)
        {
            failures.Add("Superbridge:SshCommandTimeoutSeconds must be between 1 and 3600.");
        }
        if (options.MaxParallelHosts is < 1 or > 1000)
        {
            failures.Add("Superbridge:MaxParallelHosts must be between 1 and 1000.");
        }
        if (options.ApiToken is { Length: > 0 and < 16 })
        {
            failures.Add("Superbridge:ApiToken must be at least 16 characters when set.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
