using Fmp4Streamer;
using Fmp4Streamer.Cli;

return CommandLine.Run(args, Streamer.Run);
