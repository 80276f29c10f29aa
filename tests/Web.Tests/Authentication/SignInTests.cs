using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Superbridge.Web.Authentication;
using Superbridge.Web.Tests.Support;

namespace Superbridge.Web.Tests.Authentication;

public sealed partial class SignInTests : IClassFixture<DashboardFactory>
{
    private readonly DashboardFactory _factory;

    public SignInTests(DashboardFactory factory) => _factory = factory;

    [Fact]
    public async Task A_page_without_sign_in_redirects_to_the_login_page()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/login", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Signing_in_with_the_admin_password_opens_the_dashboard()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

        var response = await SignInAsync(client, "admin", DashboardFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Overview", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_password_returns_to_the_login_page_with_an_error()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

        var response = await SignInAsync(client, "admin", "not-the-password");

        Assert.Equal("/login", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Wrong user name or password", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_in_never_redirects_to_another_site()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var token = await AntiforgeryTokenAsync(client);

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin",
            ["password"] = DashboardFactory.AdminPassword,
            ["returnUrl"] = "//evil.example/",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal("/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_client_out_even_with_the_right_one_and_say_for_how_long()
    {
        using var factory = new DashboardFactory();
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

        for (var i = 1; i < SignInThrottle.MaxFailures; i++)
            Assert.Contains("Wrong user name or password", await (await SignInAsync(client, "admin", "guess-" + i)).Content.ReadAsStringAsync());
        var fifth = await SignInAsync(client, "admin", "guess-5");
        var right = await SignInAsync(client, "admin", DashboardFactory.AdminPassword);

        Assert.Contains("Too many failed sign-ins from your address. Try again in 5 minutes.", await fifth.Content.ReadAsStringAsync());
        Assert.Equal("/login", right.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Too many failed sign-ins", await right.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_cookie_kept_from_before_sign_out_no_longer_opens_anything()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        var token = await AntiforgeryPairAsync(client);
        var signIn = await client.SendAsync(Form("/account/login", token, new() { ["username"] = "admin", ["password"] = DashboardFactory.AdminPassword, ["returnUrl"] = "/" }));
        var cookie = AuthCookie(signIn);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(client, "/hosts", cookie)).StatusCode);

        var page = await GetWithCookieAsync(client, "/hosts", cookie);
        var logoutToken = AntiforgeryField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var logout = Form("/account/logout", (token.Cookie, logoutToken), []);
        logout.Headers.Add("Cookie", $"{token.Cookie}; {cookie}");
        Assert.Equal(HttpStatusCode.Redirect, (await client.SendAsync(logout)).StatusCode);

        var after = await GetWithCookieAsync(client, "/hosts", cookie);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("http://localhost/login", after.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Over_https_the_sign_in_cookie_is_secure_http_only_and_strict()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false, AllowAutoRedirect = false });
        var token = await AntiforgeryPairAsync(client);

        var signIn = await client.SendAsync(Form("/account/login", token, new() { ["username"] = "admin", ["password"] = DashboardFactory.AdminPassword, ["returnUrl"] = "/" }));

        var setCookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("superbridge.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Changing_the_password_checks_the_current_one_and_the_length_then_signs_out_every_other_browser()
    {
        using var factory = new DashboardFactory();
        using var other = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await SignInAsync(other, "admin", DashboardFactory.AdminPassword);
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        await SignInAsync(client, "admin", DashboardFactory.AdminPassword);

        Assert.Contains("current: the current password is wrong", await ChangePasswordAsync(client, "not-it", "a-new-long-password", "a-new-long-password"));
        Assert.Contains("password: the new password has 5 characters; at least 12 are needed", await ChangePasswordAsync(client, DashboardFactory.AdminPassword, "short", "short"));
        Assert.Contains("confirm: the two new passwords differ", await ChangePasswordAsync(client, DashboardFactory.AdminPassword, "a-new-long-password", "another-long-one"));
        Assert.Contains("Password changed.", await ChangePasswordAsync(client, DashboardFactory.AdminPassword, "a-new-long-password", "a-new-long-password"));

        Assert.Equal("/account", (await client.GetAsync("/account")).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/login", (await other.GetAsync("/hosts")).RequestMessage!.RequestUri!.AbsolutePath);
        using var fresh = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal("/login", (await SignInAsync(fresh, "admin", DashboardFactory.AdminPassword)).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("/", (await SignInAsync(fresh, "admin", "a-new-long-password")).RequestMessage!.RequestUri!.AbsolutePath);
    }

    private static async Task<string> ChangePasswordAsync(HttpClient client, string current, string password, string confirm)
    {
        var page = await client.GetStringAsync("/account");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        var response = await client.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["current"] = current, ["password"] = password, ["confirm"] = confirm, ["__RequestVerificationToken"] = token,
        }));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The antiforgery cookie and form token, for a client that keeps cookies by hand.</summary>
    private static async Task<(string Cookie, string Token)> AntiforgeryPairAsync(HttpClient client)
    {
        var response = await client.GetAsync("/login");
        var cookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];
        return (cookie, AntiforgeryField().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value);
    }

    private static HttpRequestMessage Form(string path, (string Cookie, string Token) antiforgery, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = antiforgery.Token;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("Cookie", antiforgery.Cookie);
        return request;
    }

    private static string AuthCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("superbridge.auth=", StringComparison.Ordinal)).Split(';')[0];

    private static Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password)
    {
        var token = await AntiforgeryTokenAsync(client);
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = user,
            ["password"] = password,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = token,
        }));
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/login");
        return AntiforgeryField().Match(page).Groups[1].Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
