using System.Buffers.Binary;
using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.M2MCheck;

/// <summary>
/// Between encoder and decoder: counts compressed frames and their bytes, then passes them on, flagging FWHT I frames
/// as key frames. vicodec flags them only on its decoder's output; encoders such as the Pi's bcm2835-codec flag their
/// own, and the decoder stage relies on the flag to skip to the next key frame after it lost one.
/// </summary>
public sealed class EncodedTap(ChainResult result, IFrameReceiver? decoder) : IFrameReceiver
{
    // struct fwht_cframe_hdr (drivers/media/test-drivers/vicodec/codec-fwht.h): magic1, magic2, version, width,
    // height, then the big-endian flags; V4L2_FWHT_FL_I_FRAME from linux/v4l2-controls.h.
    private const int FwhtFlagsOffset = 20;
    private const uint FwhtIFrame = 1u << 10;

    public void OnFrame(in CapturedFrame frame)
    {
        result.Encoded++;
        result.EncodedBytes += frame.Data.Length;
        bool iFrame = frame.Data.Length >= FwhtFlagsOffset + 4 &&
            (BinaryPrimitives.ReadUInt32BigEndian(frame.Data[FwhtFlagsOffset..]) & FwhtIFrame) != 0;
        if (iFrame) result.EncodedKeyFrames++;
        if (decoder is null) return;
        uint flags = iFrame ? frame.Flags | V4L2_BUF_FLAG_KEYFRAME : frame.Flags;
        decoder.OnFrame(new CapturedFrame(frame.Data, frame.TimestampUs, flags, frame.Sequence, frame.Index));
    }
}
