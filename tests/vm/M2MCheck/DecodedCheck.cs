using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.M2MCheck;

/// <summary>
/// The end of the chain: each decoded frame must have the expected size, carry the timestamp of a captured frame (in
/// capture order), and look like that frame within the codec's loss: closer to it than to the frame before it.
/// </summary>
public sealed class DecodedCheck(FrameLedger ledger, ChainResult result, int expectedBytes, string? dumpPrefix) : IFrameReceiver
{
    private long _lastTimestamp = long.MinValue;
    private bool _dumped;

    public void OnFrame(in CapturedFrame frame)
    {
        result.Decoded++;
        if (frame.Data.Length != expectedBytes) result.DecodedWrongSize++;
        if (frame.TimestampUs <= _lastTimestamp) result.TimestampsOutOfOrder++;
        _lastTimestamp = frame.TimestampUs;
        if (!ledger.TryFind(frame.TimestampUs, out var captured, out var previous))
        {
            result.TimestampsUnknown++;
            return;
        }
        result.TimestampsMatched++;
        double psnr = FrameLedger.Psnr(frame.Data, captured);
        result.PsnrMin = Math.Min(result.PsnrMin, psnr);
        result.PsnrSum += psnr;
        if (!previous.IsEmpty) result.NeighbourPsnrMax = Math.Max(result.NeighbourPsnrMax, FrameLedger.Psnr(frame.Data, previous));
        // One pair for the host to compare with ffmpeg, an independent judge of "the same picture".
        if (dumpPrefix is not null && !_dumped && result.Decoded >= 10)
        {
            _dumped = true;
            File.WriteAllBytes(dumpPrefix + "-captured.raw", captured.ToArray());
            File.WriteAllBytes(dumpPrefix + "-decoded.raw", frame.Data.ToArray());
        }
    }
}
