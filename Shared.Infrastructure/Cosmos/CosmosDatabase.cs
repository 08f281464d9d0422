using System.Net;
using System.Text.Json;
using Azure.Identity;
using Microsoft.Azure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Cosmos;

/// <summary>The process' single <see cref="CosmosClient"/> and the containers it uses, created (emulators) or verified (Azure) at startup.</summary>
public sealed class CosmosDatabase : IDisposable
{
    private readonly CosmosClient _client;
    private readonly CosmosOptions _options;

    /// <param name="containers">What the features declared (<see cref="CosmosRegistration.AddCosmosContainers"/>); duplicates count once.</param>
    public CosmosDatabase(CosmosOptions options, StoreOperationCounter counter, IEnumerable<ContainerSpec> containers)
    {
        _options = options;
        Containers = [.. containers.Distinct()];
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException("Cosmos:Endpoint must be an absolute URL.");
        }

        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "serverless-backend",
            UseSystemTextJsonSerializerWithOptions = WireJson.Configure(new JsonSerializerOptions()),
            ConnectionMode = string.Equals(options.ConnectionMode, "Gateway", StringComparison.OrdinalIgnoreCase) ? Microsoft.Azure.Cosmos.ConnectionMode.Gateway : Microsoft.Azure.Cosmos.ConnectionMode.Direct,
            EnableContentResponseOnWrite = false,
        };
        clientOptions.CustomHandlers.Add(new CountingHandler(counter));
        if (options.AcceptEmulatorCertificate)
        {
            if (!endpoint.IsLoopback)
            {
                throw new InvalidOperationException("Cosmos:AcceptEmulatorCertificate is only allowed for a loopback endpoint.");
            }

            clientOptions.LimitToEndpoint = true;
#pragma warning disable CA2000, CA5359 // the handler is owned by the HttpClient; certificate checks are off only for a loopback emulator
            clientOptions.HttpClientFactory = () => new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
            });
#pragma warning restore CA2000, CA5359
        }

        _client = string.IsNullOrEmpty(options.Key)
            ? new CosmosClient(options.Endpoint, new DefaultAzureCredential(), clientOptions)
            : new CosmosClient(options.Endpoint, options.Key, clientOptions);
    }

    /// <summary>The containers this database creates or verifies: those the registered features declared.</summary>
    public IReadOnlyList<ContainerSpec> Containers { get; }

    public Container Container(ContainerSpec spec) => _client.GetContainer(_options.Database, spec.Name);

    /// <summary>
    /// Creates the database and the containers that are missing when <see cref="CosmosOptions.ShouldCreateIfMissing"/>
    /// (existing ones are never changed), then checks that every container the features declared exists with
    /// the partition key paths the code declares. Reads need only the data-plane metadata permission (readMetadata), which
    /// the built-in data roles include.
    /// </summary>
    public async Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken)
    {
        var create = _options.ShouldCreateIfMissing;
        var database = _client.GetDatabase(_options.Database);
        using (var read = await database.ReadStreamAsync(cancellationToken: cancellationToken))
        {
            if (read.StatusCode == HttpStatusCode.NotFound)
            {
                if (!create)
                {
                    return new StoreCheck([$"database '{_options.Database}' is missing", .. Containers.Select(spec => CosmosContainerCheck.Compare(spec, null)!)]);
                }

                await _client.CreateDatabaseIfNotExistsAsync(_options.Database, cancellationToken: cancellationToken);
            }
            else
            {
                read.EnsureSuccessStatusCode();
            }
        }

        var problems = new List<string>();
        foreach (var spec in Containers)
        {
            var paths = await ReadPartitionKeyPathsAsync(database.GetContainer(spec.Name), cancellationToken);
            if (paths is null && create)
            {
                var properties = new ContainerProperties(spec.Name, [.. spec.PartitionKeyPaths]) { DefaultTimeToLive = -1 };
                foreach (var index in spec.CompositeIndexes ?? [])
                {
                    properties.IndexingPolicy.CompositeIndexes.Add([.. index.Select(p => new CompositePath { Path = p.Path, Order = p.Descending ? CompositePathSortOrder.Descending : CompositePathSortOrder.Ascending })]);
                }

                await database.CreateContainerIfNotExistsAsync(properties, _options.ContainerThroughput, cancellationToken: cancellationToken);
                paths = await ReadPartitionKeyPathsAsync(database.GetContainer(spec.Name), cancellationToken);
            }

            if (CosmosContainerCheck.Compare(spec, paths) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return new StoreCheck(problems);
    }

    /// <summary>The container's partition key paths, or null when it does not exist.</summary>
    private static async Task<IReadOnlyList<string>?> ReadPartitionKeyPathsAsync(Container container, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await container.ReadContainerAsync(cancellationToken: cancellationToken)).Resource;
            return properties.PartitionKeyPaths ?? [];
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await _client.GetDatabase(_options.Database).ReadStreamAsync(cancellationToken: cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public void Dispose() => _client.Dispose();

    private sealed class CountingHandler(StoreOperationCounter counter) : RequestHandler
    {
        public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
        {
            counter.Increment();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
