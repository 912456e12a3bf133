using System.Globalization;
using System.Text;

namespace Fmp4Streamer.M2MCheck;

/// <summary>What one run saw, printed as one `M2M-RESULT key=value ...` line the VM test parses.</summary>
public sealed class ChainResult
{
    public string Mode = "";
    public bool EncoderMultiPlanar;
    public bool DecoderMultiPlanar;
    public string CameraFormat = "";
    public string EncodedFormat = "";
    public string DecodedFormat = "";
    public long Captured;
    public long Encoded;
    public long EncodedBytes;
    public long EncodedKeyFrames;
    public long Decoded;
    public long DecodedWrongSize;
    public long TimestampsMatched;
    public long TimestampsUnknown;
    public long TimestampsOutOfOrder;
    public double PsnrMin = double.MaxValue;
    public double PsnrSum;
    public double NeighbourPsnrMax;
    public long EncoderDroppedInputs;
    public long DecoderDroppedInputs;
    public long KeyFrameRequests;
    public int SourceChanges;
    public long CpuUsPerFrame = -1;
    public long HopCpuUs;
    public long HopFrames;
    public double Seconds;
    public string? Failure;
    public readonly List<string> Warnings = new();

    public string ToLine()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("M2M-RESULT");
        void Add(string key, object value) => sb.Append(' ').Append(key).Append('=').Append(Convert.ToString(value, inv));
        Add("mode", Mode);
        Add("enc_mplane", EncoderMultiPlanar ? 1 : 0);
        Add("dec_mplane", DecoderMultiPlanar ? 1 : 0);
        Add("camera", CameraFormat.Replace(' ', '_'));
        Add("encoded_format", EncodedFormat.Replace(' ', '_'));
        Add("decoded_format", DecodedFormat.Replace(' ', '_'));
        Add("captured", Captured);
        Add("encoded", Encoded);
        Add("encoded_bytes_avg", Encoded == 0 ? 0 : EncodedBytes / Encoded);
        Add("encoded_key_frames", EncodedKeyFrames);
        Add("decoded", Decoded);
        Add("decoded_wrong_size", DecodedWrongSize);
        Add("ts_matched", TimestampsMatched);
        Add("ts_unknown", TimestampsUnknown);
        Add("ts_out_of_order", TimestampsOutOfOrder);
        Add("psnr_min", TimestampsMatched == 0 ? "0" : PsnrMin.ToString("F1", inv));
        Add("psnr_avg", TimestampsMatched == 0 ? "0" : (PsnrSum / TimestampsMatched).ToString("F1", inv));
        Add("neighbour_psnr_max", NeighbourPsnrMax.ToString("F1", inv));
        Add("enc_dropped_inputs", EncoderDroppedInputs);
        Add("dec_dropped_inputs", DecoderDroppedInputs);
        Add("keyframe_requests", KeyFrameRequests);
        Add("source_changes", SourceChanges);
        Add("cpu_us_per_frame", CpuUsPerFrame);
        Add("hop_cpu_us_per_frame", HopFrames == 0 ? -1 : HopCpuUs / HopFrames);
        Add("seconds", Seconds.ToString("F2", inv));
        Add("failure", Failure is null ? "none" : "'" + Failure.Replace('\n', ' ') + "'");
        foreach (var w in Warnings) sb.Append("\nM2M-WARNING ").Append(w);
        return sb.ToString();
    }
}
