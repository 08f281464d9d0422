namespace TestSupport;

/// <summary>Tenants the tests run against, written to a temporary tenants file.</summary>
public static class TestTenants
{
    public const string Alpha = "alpha";
    public const string Beta = "beta";

    /// <summary>A tenant whose default plan is unlimited.</summary>
    public const string Gamma = "gamma";

    public const string Json = """
        {
          "tenants": [
            {
              "id": "alpha", "name": "Alpha", "upgrade_url": "https://alpha.example/upgrade?user_id={user_id}",
              "allowed_origins": ["chrome-extension://abcdefghijklmnopabcdefghijklmnop", "https://alpha.example"],
              "plans": [
                { "id": "free", "name": "Free", "hits_limit": 10, "reset_period": "day", "price_monthly_cents": 0, "price_yearly_cents": 0, "currency": "USD", "features": ["Basic"], "default": true },
                { "id": "pro", "name": "Pro", "hits_limit": 1000, "reset_period": "month", "price_monthly_cents": 999, "price_yearly_cents": 9999, "currency": "USD", "features": ["Advanced"], "stripe_price_id_monthly": "price_pro_m", "stripe_price_id_yearly": "price_pro_y" },
                { "id": "unlimited", "name": "Unlimited", "hits_limit": null, "reset_period": "month", "price_monthly_cents": 1999, "price_yearly_cents": 19999, "currency": "USD", "features": ["All"], "stripe_price_id_monthly": "price_unl_m", "price_lifetime_cents": 49900, "stripe_price_id_lifetime": "price_unl_life" }
              ]
            },
            {
              "id": "beta", "name": "Beta", "upgrade_url": "https://beta.example/pricing?u={user_id}",
              "allowed_origins": ["https://beta.example"],
              "plans": [
                { "id": "free", "name": "Free", "hits_limit": 3, "reset_period": "day", "price_monthly_cents": 0, "price_yearly_cents": 0, "currency": "INR", "features": [], "default": true }
              ]
            },
            {
              "id": "gamma", "name": "Gamma", "upgrade_url": "https://gamma.example/upgrade?user_id={user_id}",
              "plans": [
                { "id": "unlimited", "name": "Unlimited", "hits_limit": null, "reset_period": "month", "price_monthly_cents": 0, "price_yearly_cents": 0, "currency": "USD", "features": [], "default": true }
              ]
            }
          ]
        }
        """;

    public static string WriteFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tenants-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Json);
        return path;
    }
}
