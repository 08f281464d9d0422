namespace TestSupport;

public static class RepositoryPaths
{
    /// <summary>The checkout's root: the first folder above the test output that holds Serverless.sln.</summary>
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above the test output.");
    }
}
