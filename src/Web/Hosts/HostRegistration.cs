using Superbridge.Web.Validation;

namespace Superbridge.Web.Hosts;

/// <summary>The outcome of adding a host: the stored host, or the fields that stopped it (nothing stored then).</summary>
public sealed record HostRegistration(StoredHost? Host, FieldErrors Errors)
{
    public bool Succeeded => Host is not null;
}
