namespace TestSupport;

/// <summary>Tenants the tests run against, written to a temporary tenants file.</summary>
public static class TestTenants
{
    public const string Alpha = "alpha";
    public const string Beta = "beta";

    /// <summary>A tenant whose default plan is unlimited.</summary>
    public const string Gamma = "gamma";

    /// <summary>The client id a test's local OpenID Connect issuer puts in its ID tokens' audience.</summary>
    public const string OidcAudience = "test-extension-client";

    public const string Json = """
        {
          "tenants": [
            {
              "id": "alpha", "name": "Alpha", "upgrade_url": "https://alpha.example/upgrade?token={link_token}", "admin_emails": ["admin@alpha.example"], "phone_signup": true,
              "allowed_origins": ["chrome-extension://abcdefghijklmnopabcdefghijklmnop", "https://alpha.example"],
              "marketplace": { "premium_creators": true },
              "wallet_currency": "USD", "campaign_prices_cents": { "in_app": 10, "push": 20, "whatsapp": 80 }, "credit_price_cents": 5,
              "plans": [
                { "id": "free", "name": "Free", "hits_limit": 10, "reset_period": "day", "price_monthly_cents": 0, "price_yearly_cents": 0, "currency": "USD", "features": ["Basic"], "default": true },
                { "id": "pro", "name": "Pro", "hits_limit": 1000, "reset_period": "month", "price_monthly_cents": 999, "price_yearly_cents": 9999, "currency": "USD", "features": ["Advanced"], "stripe_price_id_monthly": "price_pro_m", "stripe_price_id_yearly": "price_pro_y" },
                { "id": "unlimited", "name": "Unlimited", "hits_limit": null, "reset_period": "month", "price_monthly_cents": 1999, "price_yearly_cents": 19999, "currency": "USD", "features": ["All"], "stripe_price_id_monthly": "price_unl_m", "price_lifetime_cents": 49900, "stripe_price_id_lifetime": "price_unl_life" }
              ]
            },
            {
              "id": "beta", "name": "Beta", "upgrade_url": "https://beta.example/pricing?t={link_token}",
              "allowed_origins": ["https://beta.example"],
              "marketplace": { "auto_publish": true, "categories": ["writing", "games"] },
              "wallet_currency": "INR",
              "plans": [
                { "id": "free", "name": "Free", "hits_limit": 3, "reset_period": "day", "price_monthly_cents": 0, "price_yearly_cents": 0, "currency": "INR", "features": [], "default": true }
              ]
            },
            {
              "id": "gamma", "name": "Gamma", "upgrade_url": "https://gamma.example/upgrade?token={link_token}",
              "plans": [
                { "id": "unlimited", "name": "Unlimited", "hits_limit": null, "reset_period": "month", "price_monthly_cents": 0, "price_yearly_cents": 0, "currency": "USD", "features": [], "default": true }
              ]
            }
          ]
        }
        """;

    /// <summary>
    /// Writes the tenants; with <paramref name="identityProviderIssuer"/> (a test's local OpenID Connect issuer) alpha and
    /// beta trust that issuer's ID tokens for <see cref="OidcAudience"/>; gamma trusts none.
    /// </summary>
    public static string WriteFile(string? identityProviderIssuer = null)
    {
        var json = Json;
        if (identityProviderIssuer is not null)
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(Json)!;
            foreach (var tenant in root["tenants"]!.AsArray().Where(t => (string)t!["id"]! is Alpha or Beta))
            {
                tenant!["identity_provider"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["issuer"] = identityProviderIssuer,
                    ["audiences"] = new System.Text.Json.Nodes.JsonArray(OidcAudience),
                    ["metadata_url"] = identityProviderIssuer + "/.well-known/openid-configuration",
                };
            }

            json = root.ToJsonString();
        }

        var path = Path.Combine(Path.GetTempPath(), $"tenants-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
