using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Notifications;

namespace Functions.Api.Notifications;

/// <summary>
/// The caller's in-app inbox (campaign messages stored by the inbox sender: list newest first, mark read) and the
/// devices the caller registers for push. Every call reads or changes the caller's own data only.
/// </summary>
public static class NotificationEndpoints
{
    private const int PageSize = 50;

    public static void MapNotifications(this RouteGroupBuilder v1)
    {
        v1.MapGet("/notifications", ListAsync)
            .WithName("ListNotifications")
            .WithSummary("The caller's in-app notifications, newest first, 50 a page; pass the returned continuation to get the next page.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost("/notifications/{notification_id}/read", MarkReadAsync)
            .WithName("MarkNotificationRead")
            .WithSummary("Marks one of the caller's notifications read (204, also when it already was); 404 notification_not_found for any other id.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPut("/customers/me/devices", RegisterDeviceAsync)
            .WithName("RegisterPushDevice")
            .WithSummary("Registers the FCM registration token of the caller's device for push campaign messages (204; at most 10 devices, the oldest is forgotten).")
            .Accepts<DeviceBody>("application/json")
            .ProducesDeviceProblems()
            .RequireAuthorization(Policies.TenantUser);

        v1.MapDelete("/customers/me/devices", RemoveDeviceAsync)
            .WithName("RemovePushDevice")
            .WithSummary("Forgets the caller's device with this FCM token (204, also when it was not registered).")
            .Accepts<DeviceBody>("application/json")
            .ProducesDeviceProblems()
            .RequireAuthorization(Policies.TenantUser);
    }

    private static async Task<Results<Ok<NotificationListResponse>, ProblemHttpResult>> ListAsync(HttpContext http, INotificationInbox inbox, CancellationToken cancellationToken)
    {
        var cursor = ContinuationQuery.Cursor(http.Request);
        if (!cursor.IsSuccess)
        {
            return Problems.From(cursor.Error!);
        }

        InboxPage page;
        try
        {
            page = await inbox.ListAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), cursor.Value, PageSize, cancellationToken);
        }
        catch (InvalidContinuationException)
        {
            return Problems.From(ContinuationText.Invalid);
        }

        return TypedResults.Ok(new NotificationListResponse([.. page.Items.Select(NotificationResponse.From)], page.Cursor is { } next ? ContinuationText.Encode(next) : null));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkReadAsync(string notification_id, HttpContext http, INotificationInbox inbox, CancellationToken cancellationToken)
    {
        // A malformed id cannot be anyone's: the same 404 as another user's id, without a store read.
        if (!InboxIds.IsWellFormed(notification_id) || !await inbox.MarkReadAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), notification_id, cancellationToken))
        {
            return Problems.From(Error.NotFound("notification_not_found", "You have no notification with this id."));
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RegisterDeviceAsync(HttpContext http, IPushDeviceStore devices, TimeProvider time, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(http, cancellationToken);
        if (!token.IsSuccess)
        {
            return Problems.From(token.Error!);
        }

        await devices.RegisterAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), token.Value, time.GetUtcNow(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveDeviceAsync(HttpContext http, IPushDeviceStore devices, CancellationToken cancellationToken)
    {
        var token = await TokenAsync(http, cancellationToken);
        if (!token.IsSuccess)
        {
            return Problems.From(token.Error!);
        }

        await devices.RemoveAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), token.Value, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Result<string>> TokenAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<DeviceBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return body.Error!;
        }

        return PushDevices.IsWellFormedToken(body.Value.FcmToken)
            ? body.Value.FcmToken!
            : Error.Validation("fcm_token", $"Required: the device's FCM registration token (1 to {PushDevices.MaxTokenLength} printable characters, no spaces).");
    }

    private static RouteHandlerBuilder ProducesDeviceProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
