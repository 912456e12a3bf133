namespace Fmp4Streamer.Http;

/// <summary>The methods this server implements; everything else is refused with 405.</summary>
public enum RequestMethod { Get, Head, Options }
