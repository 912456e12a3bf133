namespace Fmp4Streamer.H264;

/// <summary>
/// One memory_management_control_operation of dec_ref_pic_marking() (H.264 7.3.3.3, Table 7-9) with the fields
/// its number carries; the others are 0. Operation 5 marks every reference picture unused and restarts
/// frame_num and picture order count as an IDR does.
/// </summary>
public readonly record struct MemoryManagementOperation(
    int Operation,
    int DifferenceOfPicNumsMinus1,
    int LongTermPicNum,
    int LongTermFrameIdx,
    int MaxLongTermFrameIdxPlus1);
