using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Superbridge.Ssh;
using Superbridge.Web.Components.Dialogs;
using Superbridge.Web.Hosts;
using Superbridge.Web.Tests.Components.Support;

namespace Superbridge.Web.Tests.Components.Dialogs;

public sealed class AddHostDialogTests : DashboardTestContext
{
    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync()
    {
        var provider = RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        IDialogReference? dialog = null;
        await provider.InvokeAsync(async () => dialog = await dialogs.ShowAsync<AddHostDialog>("Add host"));
        return (provider, dialog!);
    }

    private static void Type(IRenderedComponent<MudDialogProvider> provider, string field, string value) =>
        provider.Find($"input[data-field={field}], textarea[data-field={field}]").Change(value);

    private static void Click(IRenderedComponent<MudDialogProvider> provider, string action) =>
        provider.Find($"button[data-action={action}]").Click();

    private static bool AddDisabled(IRenderedComponent<MudDialogProvider> provider) =>
        provider.Find("button[data-action=add]").HasAttribute("disabled");

    private static void FillValid(IRenderedComponent<MudDialogProvider> provider)
    {
        Type(provider, "address", "198.51.100.1");
        Type(provider, "privateKeyPath", "/etc/hostname");
    }

    [Fact]
    public async Task Connect_with_bad_fields_shows_the_validator_messages_on_their_fields_and_connects_to_nothing()
    {
        var (provider, _) = await OpenAsync();
        Type(provider, "address", "198.51.100.1.");
        Type(provider, "username", "$(reboot)");
        Type(provider, "name", "h1; rm -rf /");

        Click(provider, "connect");

        provider.WaitForAssertion(() =>
        {
            Assert.Contains("address '198.51.100.1.'", provider.Find("[data-field=address]").Closest(".mud-input-control")!.TextContent);
            Assert.Contains("username must be 1..32 lowercase letters", provider.Find("[data-field=username]").Closest(".mud-input-control")!.TextContent);
            Assert.Contains("name must be 1..63 letters", provider.Find("[data-field=name]").Closest(".mud-input-control")!.TextContent);
            Assert.Contains("give exactly one of privateKeyPath, privateKey or password",
                provider.Find("[data-field=privateKeyPath]").Closest(".mud-input-control")!.TextContent);
        });
        Assert.Empty(Registrar.Probes);
        Assert.DoesNotContain("hostKey", provider.Markup);
    }

    [Fact]
    public async Task Add_stays_disabled_until_the_fingerprint_is_confirmed()
    {
        var (provider, _) = await OpenAsync();
        FillValid(provider);
        Assert.True(AddDisabled(provider));

        Click(provider, "connect");

        provider.WaitForAssertion(() => Assert.Contains(FakeHostRegistrar.Fingerprint, provider.Find("[data-host-key]").TextContent));
        Assert.Equal([("198.51.100.1", 22)], Registrar.Probes);
        Assert.Contains("ssh-ed25519", provider.Find("[data-host-key]").TextContent);
        Assert.Equal("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub", provider.Find("[data-hint=ssh-keygen]").TextContent);
        Assert.True(AddDisabled(provider));

        provider.Find("input[data-confirm=compared]").Change(true);

        provider.WaitForAssertion(() => Assert.False(AddDisabled(provider)));
    }

    [Fact]
    public async Task Adding_sends_the_confirmed_fingerprint_closes_and_stores_the_host()
    {
        var (provider, dialog) = await OpenAsync();
        FillValid(provider);
        provider.Find("input[data-field=useSudo]").Change(true);
        Click(provider, "connect");
        provider.WaitForAssertion(() => provider.Find("input[data-confirm=compared]").Change(true));

        Click(provider, "add");

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        var host = Assert.IsType<StoredHost>(result!.Data);
        var request = Assert.Single(Registrar.Requests);
        Assert.Equal(FakeHostRegistrar.Fingerprint, request.HostKey);
        Assert.Equal("198.51.100.1", request.Name);
        Assert.Equal("root", request.Username);
        Assert.Equal(22, request.Port);
        Assert.True(request.UseSudo);
        Assert.Equal("/etc/hostname", request.PrivateKeyPath);
        Assert.Null(request.Password);
        Assert.Equal("198.51.100.1", host.Id);
        Assert.NotNull(await Hosts.FindAsync("198.51.100.1"));
    }

    [Fact]
    public async Task The_tunnel_and_peer_addresses_typed_are_sent_and_blank_ones_are_left_to_their_defaults()
    {
        var (provider, dialog) = await OpenAsync();
        FillValid(provider);
        Type(provider, "tunnelAddress", " 10.0.0.5 ");
        Click(provider, "connect");
        provider.WaitForAssertion(() => provider.Find("input[data-confirm=compared]").Change(true));

        Click(provider, "add");

        await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        var request = Assert.Single(Registrar.Requests);
        Assert.Equal("10.0.0.5", request.TunnelAddress);
        Assert.Null(request.PeerAddress);
    }

    [Fact]
    public async Task A_loopback_ssh_address_asks_for_the_peer_address_on_its_field_and_a_bad_tunnel_address_is_named()
    {
        var (provider, _) = await OpenAsync();
        FillValid(provider);
        Type(provider, "address", "127.0.0.1");
        Type(provider, "tunnelAddress", "10.0.0.5.");

        Click(provider, "connect");

        provider.WaitForAssertion(() =>
        {
            Assert.Contains("peerAddress is required: the SSH address 127.0.0.1 is loopback (a port forward?), so peers cannot send tunnels to it",
                provider.Find("[data-field=peerAddress]").Closest(".mud-input-control")!.TextContent);
            Assert.Contains("tunnelAddress '10.0.0.5.' is not an IPv4 or IPv6 address (it is the address this host's tunnels bind)",
                provider.Find("[data-field=tunnelAddress]").Closest(".mud-input-control")!.TextContent);
        });
        Assert.Empty(Registrar.Probes);

        Type(provider, "peerAddress", "203.0.113.80");
        Type(provider, "tunnelAddress", "");
        Click(provider, "connect");

        provider.WaitForAssertion(() => Assert.Equal([("127.0.0.1", 22)], Registrar.Probes));
    }

    [Fact]
    public async Task Trust_on_first_use_is_an_explicit_choice_sent_as_such()
    {
        var (provider, dialog) = await OpenAsync();
        FillValid(provider);
        Type(provider, "name", "lab-h1");
        Click(provider, "connect");
        provider.WaitForAssertion(() => provider.Find("input[data-confirm=tofu]").Change(true));

        Click(provider, "add");

        await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10));
        var request = Assert.Single(Registrar.Requests);
        Assert.Equal(AddHostRequest.TrustOnFirstUse, request.HostKey);
        Assert.Equal("lab-h1", request.Name);
    }

    [Fact]
    public async Task Changing_the_address_after_connecting_asks_to_connect_again()
    {
        var (provider, _) = await OpenAsync();
        FillValid(provider);
        Click(provider, "connect");
        provider.WaitForAssertion(() => provider.Find("input[data-confirm=compared]").Change(true));
        provider.WaitForAssertion(() => Assert.False(AddDisabled(provider)));

        Type(provider, "address", "198.51.100.2");

        provider.WaitForAssertion(() => Assert.Empty(provider.FindAll("[data-host-key]")));
        Assert.True(AddDisabled(provider));
    }

    [Fact]
    public async Task A_failed_registration_puts_each_message_on_its_field_and_keeps_the_dialog_open()
    {
        Registrar.AddAnswer = _ => FakeHostRegistrar.Failed(
            ("credentials", "Permission denied (publickey) for root@198.51.100.1:22"),
            ("name", "a host named '198.51.100.1' already exists"));
        var (provider, dialog) = await OpenAsync();
        FillValid(provider);
        Click(provider, "connect");
        provider.WaitForAssertion(() => provider.Find("input[data-confirm=compared]").Change(true));

        Click(provider, "add");

        provider.WaitForAssertion(() =>
        {
            Assert.Contains("Permission denied (publickey)", provider.Find("[data-field=privateKeyPath]").Closest(".mud-input-control")!.TextContent);
            Assert.Contains("already exists", provider.Find("[data-field=name]").Closest(".mud-input-control")!.TextContent);
            Assert.Contains("The host was not added", provider.Find("[data-alert=registration]").TextContent);
        });
        Assert.DoesNotContain("Permission denied", provider.Find("[data-field=address]").Closest(".mud-input-control")!.TextContent);
        Assert.False(dialog.Result.IsCompleted);
    }

    [Fact]
    public async Task A_host_key_refusal_is_shown_with_the_fingerprint()
    {
        Registrar.AddAnswer = _ => FakeHostRegistrar.Failed(("hostKey", "The host presented SHA256:other, not the confirmed key"));
        var (provider, _) = await OpenAsync();
        FillValid(provider);
        Click(provider, "connect");
        provider.WaitForAssertion(() => provider.Find("input[data-confirm=compared]").Change(true));

        Click(provider, "add");

        provider.WaitForAssertion(() => Assert.Contains("SHA256:other", provider.Find("[data-error=hostKey]").TextContent));
    }

    [Fact]
    public async Task A_host_that_cannot_be_reached_is_an_alert_with_the_reason()
    {
        Registrar.ProbeAnswer = (null, new SshFailure(SshFailureReason.Timeout, "No answer from 198.51.100.9:22 within 5 s."));
        var (provider, _) = await OpenAsync();
        FillValid(provider);

        Click(provider, "connect");

        provider.WaitForAssertion(() =>
        {
            var alert = provider.Find("[data-alert=probe]").TextContent;
            Assert.Contains("timed out", alert);
            Assert.Contains("No answer from 198.51.100.9:22 within 5 s.", alert);
        });
        Assert.Empty(provider.FindAll("[data-host-key]"));
        Assert.True(AddDisabled(provider));
    }

    [Theory]
    [InlineData("ssh-ed25519", "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub")]
    [InlineData("ecdsa-sha2-nistp256", "ssh-keygen -lf /etc/ssh/ssh_host_ecdsa_key.pub")]
    [InlineData("ssh-rsa", "ssh-keygen -lf /etc/ssh/ssh_host_rsa_key.pub")]
    [InlineData("rsa-sha2-512", "ssh-keygen -lf /etc/ssh/ssh_host_rsa_key.pub")]
    public void The_hint_names_the_key_file_of_the_presented_algorithm(string algorithm, string hint) =>
        Assert.Equal(hint, AddHostDialog.KeygenHint(algorithm));
}
