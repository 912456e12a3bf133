using System.CommandLine;
using System.CommandLine.Invocation;
using Fmp4Streamer.Config;

namespace Fmp4Streamer.Cli;

/// <summary>
/// --help: System.CommandLine's usage text followed by the config keys from <see cref="ConfigKeys"/>, so the
/// help and the file format cannot drift apart.
/// </summary>
internal sealed class ConfigKeysHelp : SynchronousCommandLineAction
{
    private readonly CommandLineAction? _standardHelp;

    public ConfigKeysHelp(CommandLineAction? standardHelp) => _standardHelp = standardHelp;

    public override int Invoke(ParseResult parseResult)
    {
        int result = _standardHelp is SynchronousCommandLineAction help ? help.Invoke(parseResult) : 0;
        Write(parseResult.InvocationConfiguration.Output);
        return result;
    }

    public static void Write(TextWriter output)
    {
        output.WriteLine($"Config file keys ({ConfigLoader.DefaultPath}; every key is shown in fmp4streamer.conf.dist):");
        WriteScope(output, "[server]", ConfigScope.Server);
        WriteScope(output, "every source section ([/dev/videoN], or with command = ... or test_pattern = yes)", ConfigScope.Source);
        WriteScope(output, "device sections only", ConfigScope.Device);
        output.WriteLine("  Any other key in a device section is a V4L2 or uvcx_ control of the device (list them with -l);");
        output.WriteLine("  a section named by decoder = or encoder = holds that device's controls.");
    }

    private static void WriteScope(TextWriter output, string title, ConfigScope scope)
    {
        output.WriteLine("  " + title);
        foreach (ConfigKey key in ConfigKeys.All)
        {
            if (key.Scope != scope) continue;
            output.WriteLine($"    {key.Name.PadRight(21)} {key.Help} (default: {key.DefaultText})");
        }
    }
}
