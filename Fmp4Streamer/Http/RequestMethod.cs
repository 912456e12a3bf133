namespace Fmp4Streamer.Http;

/// <summary>The methods this server implements (POST for settings only); everything else is refused with 405.</summary>
public enum RequestMethod { Get, Head, Options, Post }
