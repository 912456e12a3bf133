using Fmp4Streamer.M2MCheck;

try
{
    var options = CheckOptions.Parse(args);
    var result = new ChainRun(options).Run();
    Console.WriteLine(result.ToLine());
    return result.Failure is null ? 0 : 1;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"m2mcheck: {e.Message}\n{CheckOptions.Usage}");
    return 2;
}
