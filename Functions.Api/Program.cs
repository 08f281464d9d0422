using Functions.Api;

var app = ApiApp.Build(args);
await app.RunAsync();
public partial class Program;
