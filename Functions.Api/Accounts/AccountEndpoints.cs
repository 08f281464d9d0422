using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Messaging;
using Shared.Domain.Users;

namespace Functions.Api.Accounts;

/// <summary>
/// Accounts: password sign-up, email proof, login, refresh rotation, logout, change of email, and phone one-time codes
/// (README, "Accounts"). Each endpoint reads its body (<see cref="JsonBody"/>), calls one use case and maps the result
/// with <see cref="Problems.Map"/>. All are under /api/v1, so the tenant filter and the request limits apply.
/// </summary>
public static class AccountEndpoints
{
    private const string Json = "application/json";

    public static void MapAccounts(this RouteGroupBuilder v1)
    {
        var auth = v1.MapGroup("/auth").WithTags("Accounts");
        auth.MapPost("/signup", SignUpAsync)
            .WithName("Signup")
            .WithSummary("Creates a password account and mails a 6-digit code to prove the email. Answers 201 {user_id} alike for an address that already has an account (see README).")
            .Accepts<SignupBody>(Json)
            .WithBodyProblems()
            .AllowAnonymous();
        auth.MapPost("/verify-email", VerifyEmailAsync)
            .WithName("VerifyEmail")
            .WithSummary("Proves an email with the code mailed by sign-up or by change-email.")
            .Accepts<VerifyEmailBody>(Json)
            .WithBodyProblems()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .AllowAnonymous();
        auth.MapPost("/login", LoginAsync)
            .WithName("Login")
            .WithSummary("Email and password → {access_token, expires_in, refresh_token, user_id}. Failures are rate-limited and locked out per account and address (README).")
            .Accepts<LoginBody>(Json)
            .WithBodyProblems()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .AllowAnonymous();
        auth.MapPost("/refresh", RefreshAsync)
            .WithName("RefreshSession")
            .WithSummary("Rotates a refresh token: answers new tokens; the old one is spent. A spent token presented again revokes its whole session family.")
            .Accepts<RefreshBody>(Json)
            .WithBodyProblems()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .AllowAnonymous();
        auth.MapPost("/logout", LogoutAsync)
            .WithName("Logout")
            .WithSummary("Revokes the session (refresh token family) of the given refresh token, if it is the caller's. 204 either way.")
            .Accepts<RefreshBody>(Json)
            .WithBodyProblems()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);
        auth.MapPost("/change-email", ChangeEmailAsync)
            .WithName("ChangeEmail")
            .WithSummary("Mails a code to a new address; POST /auth/verify-email with it moves the caller's account there.")
            .Accepts<ChangeEmailBody>(Json)
            .WithBodyProblems()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.TenantUser);
        auth.MapPost("/otp/send", SendOtpAsync)
            .WithName("SendOtp")
            .WithSummary("Texts a 6-digit code (5 minutes, 5 attempts) to an E.164 phone; resends are throttled. 202 alike whether or not the number has an account.")
            .Accepts<OtpSendBody>(Json)
            .WithBodyProblems()
            .AllowAnonymous();
        auth.MapPost("/otp/verify", VerifyOtpAsync)
            .WithName("VerifyOtp")
            .WithSummary("Phone and code → tokens; the first proof creates the user where the tenant allows phone sign-up, and confirms a pending referral.")
            .Accepts<OtpVerifyBody>(Json)
            .WithBodyProblems()
            .AllowAnonymous();
    }

    /// <summary>The local outbox (GET /api/dev/outbox?to=): mapped only outside Production, and only when the outbox adapter is in use.</summary>
    public static void MapDevOutbox(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/dev").AddEndpointFilter<TenantFilter>().AddEndpointFilter<RequestRateLimitFilter>().MapGet("/outbox", OutboxAsync)
            .WithName("DevOutbox")
            .WithTags("Development only: local outbox")
            .WithSummary("NOT IN PRODUCTION: the latest mails and texts the local outbox kept for ?to=<email or E.164 phone> in the X-Tenant-ID tenant, newest first.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AllowAnonymous();
    }

    private static RouteHandlerBuilder WithBodyProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<Results<Created<SignupResponse>, ProblemHttpResult>> SignUpAsync(HttpContext http, SignUp signUp, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<SignupBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await SendingAsync(http, () => signUp.HandleAsync(TenantFilter.CurrentTenant(http), body.Value.Email, body.Value.Password, body.Value.ReferralCode, Origin(http), cancellationToken));
        return Problems.Map(result, id => TypedResults.Created((string?)null, new SignupResponse(id.Value)));
    }

    private static async Task<Results<Ok<VerifyEmailResponse>, ProblemHttpResult>> VerifyEmailAsync(HttpContext http, VerifyEmail verify, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<VerifyEmailBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await verify.HandleAsync(TenantFilter.CurrentTenant(http).Id, body.Value.Email, body.Value.Code, body.Value.Password, Origin(http), cancellationToken);
        return Problems.Map(result, id => TypedResults.Ok(new VerifyEmailResponse(id.Value, Verified: true)));
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> LoginAsync(HttpContext http, Login login, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<LoginBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await login.HandleAsync(TenantFilter.CurrentTenant(http).Id, body.Value.Email, body.Value.Password, Origin(http), cancellationToken);
        return Session(http, result);
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> RefreshAsync(HttpContext http, Sessions sessions, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RefreshBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        if (string.IsNullOrEmpty(body.Value.RefreshToken))
        {
            return Problems.From(Error.Validation("refresh_token", "Required."));
        }

        var result = await sessions.RefreshAsync(TenantFilter.CurrentTenant(http).Id, body.Value.RefreshToken, Origin(http), cancellationToken);
        return Session(http, result);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(HttpContext http, Sessions sessions, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RefreshBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        if (!SecretCodes.IsWellFormedRefreshToken(body.Value.RefreshToken))
        {
            return Problems.From(Error.Validation("refresh_token", "Must be a refresh token as issued."));
        }

        await sessions.LogoutAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), body.Value.RefreshToken, Origin(http), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<AcceptedResponse>, ProblemHttpResult>> ChangeEmailAsync(HttpContext http, RequestEmailChange change, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ChangeEmailBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await SendingAsync(http, () => change.HandleAsync(TenantFilter.CurrentTenant(http), Caller.Required(http), body.Value.Email, Origin(http), cancellationToken));
        return Problems.Map(result, _ => TypedResults.Accepted((string?)null, new AcceptedResponse("code_sent")));
    }

    private static async Task<Results<Accepted<AcceptedResponse>, ProblemHttpResult>> SendOtpAsync(HttpContext http, SendOtp send, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<OtpSendBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await SendingAsync(http, () => send.HandleAsync(TenantFilter.CurrentTenant(http), body.Value.Phone, Origin(http), cancellationToken));
        return Problems.Map(result, _ => TypedResults.Accepted((string?)null, new AcceptedResponse("code_sent")));
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> VerifyOtpAsync(HttpContext http, VerifyOtp verify, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<OtpVerifyBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await verify.HandleAsync(TenantFilter.CurrentTenant(http), body.Value.Phone, body.Value.Code, Origin(http), cancellationToken);
        return Session(http, result);
    }

    private static async Task<Results<Ok<OutboxResponse>, ProblemHttpResult>> OutboxAsync(HttpContext http, string? to, IOutbox outbox, CancellationToken cancellationToken)
    {
        string recipient;
        if (EmailAddress.TryParse(to, out var email))
        {
            recipient = email.Value.Value;
        }
        else if (PhoneNumber.TryParse(to, out var phone))
        {
            recipient = phone.Value.Value;
        }
        else
        {
            return Problems.From(Error.Validation("to", "Must be an email address or an E.164 phone number."));
        }

        return TypedResults.Ok(OutboxResponse.From(await outbox.LatestAsync(TenantFilter.CurrentTenant(http).Id, recipient, 20, cancellationToken)));
    }

    private static Results<Ok<SessionResponse>, ProblemHttpResult> Session(HttpContext http, Result<Session> result)
    {
        if (result.Error is { Kind: ErrorKind.TooManyRequests, Detail: var detail })
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds(detail);
        }

        return Problems.Map(result, session =>
        {
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Ok(SessionResponse.From(session));
        });
    }

    /// <summary>The seconds a lockout's detail names ("… in N s."), for Retry-After.</summary>
    private static string RetryAfterSeconds(string detail)
    {
        var digits = new string([.. detail.Where(char.IsAsciiDigit)]);
        return digits.Length is > 0 and < 9 ? digits : "60";
    }

    /// <summary>
    /// A provider that refused a message is a 503 the client may retry, not a 500. The provider's answer is logged for
    /// operators (a wrong key or an unconfigured provider shows there) and never echoed to the client.
    /// </summary>
    private static async Task<Result<T>> SendingAsync<T>(HttpContext http, Func<Task<Result<T>>> send)
    {
        try
        {
            return await send();
        }
        catch (MessageNotSentException e)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountEndpoints)).LogError(e, "A mail or SMS message was not sent (provider status {Status}).", e.ProviderStatus);
            return new Error(ErrorKind.Unavailable, "message_not_sent", "The message could not be sent; try again shortly.");
        }
    }

    private static RequestOrigin Origin(HttpContext http)
    {
        var correlation = http.Response.Headers[CorrelationId.Header].ToString();
        return new RequestOrigin(ClientAddress.KeyOf(http), correlation.Length > 0 ? correlation : http.TraceIdentifier);
    }
}
