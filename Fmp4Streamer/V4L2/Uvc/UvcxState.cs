namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>One extension unit setting as the camera reports it: current value, default and range (GET_CUR/DEF/MIN/MAX).</summary>
public readonly record struct UvcxState(UvcxControl Control, long Value, long Default, long Minimum, long Maximum);
