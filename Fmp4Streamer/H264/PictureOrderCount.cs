namespace Fmp4Streamer.H264;

/// <summary>
/// A frame's picture order counts (H.264 8.2.1): TopFieldOrderCnt, BottomFieldOrderCnt and PicOrderCnt, their
/// minimum, as the frame is decoded (temporal direct and implicit weights use these).
/// </summary>
/// <param name="RestartsOrder">
/// An IDR or a picture with memory_management_control_operation 5: every earlier picture is output before it, and
/// from here on counts are relative to it (its own count becomes 0 after decoding).
/// </param>
public readonly record struct PictureOrderCount(int TopFieldOrderCnt, int BottomFieldOrderCnt, bool RestartsOrder)
{
    public int PicOrderCnt => Math.Min(TopFieldOrderCnt, BottomFieldOrderCnt);
}
