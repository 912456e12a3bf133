namespace Fmp4Streamer.Http;

public static class RejectReasonExtensions
{
    public static int StatusCode(this RejectReason reason) => reason switch
    {
        RejectReason.MethodNotAllowed => 405,
        RejectReason.LengthRequired => 411,
        RejectReason.PayloadTooLarge => 413,
        RejectReason.UriTooLong => 414,
        RejectReason.HeadersTooLarge => 431,
        RejectReason.VersionNotSupported => 505,
        _ => 400,
    };
}
