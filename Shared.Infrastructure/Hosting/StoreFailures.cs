using System.Net;
using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace Shared.Infrastructure.Hosting;

/// <summary>Short, public-safe descriptions of why the store could not be checked (the log has the exception).</summary>
internal static class StoreFailures
{
    public static string Describe(Exception exception) => exception switch
    {
        CosmosException { StatusCode: HttpStatusCode.Forbidden } c =>
            $"Cosmos DB refused the request (403, substatus {c.SubStatusCode}): the app's identity needs a data-plane role on the account, and with a managed identity Cosmos:CreateIfMissing must be false (data-plane RBAC cannot create databases or containers)",
        CosmosException { StatusCode: HttpStatusCode.Unauthorized } => "Cosmos DB rejected the credentials (401)",
        CosmosException c => $"Cosmos DB answered {(int)c.StatusCode} {c.StatusCode}" + (c.SubStatusCode != 0 ? $" (substatus {c.SubStatusCode})" : ""),
        AuthenticationFailedException or CredentialUnavailableException => "no credential for the store could be obtained (managed identity)",
        HttpRequestException => "the store could not be reached",
        OperationCanceledException => "the store did not answer in time",
        _ => $"checking the store failed ({exception.GetType().Name})",
    };
}
