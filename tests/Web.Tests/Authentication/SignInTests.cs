using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
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
