using Functions.Workers;

var app = WorkersApp.Build(args);
await app.RunAsync();
public partial class Program;
