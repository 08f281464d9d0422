namespace Shared.Infrastructure.Messaging;

/// <summary>Twilio's Messages API; the auth token is the secret <see cref="AuthTokenSecret"/>.</summary>
public sealed class TwilioOptions
{
    public const string AuthTokenSecret = "twilio-auth-token";

    public Uri BaseUrl { get; set; } = new("https://api.twilio.com/");

    /// <summary>The account SID (AC…): the user name of basic auth and part of the URL.</summary>
    public string AccountSid { get; set; } = "";

    /// <summary>The sending number (E.164) or messaging service SID (MG…).</summary>
    public string From { get; set; } = "";
}
