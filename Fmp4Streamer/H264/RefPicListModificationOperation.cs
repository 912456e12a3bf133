namespace Fmp4Streamer.H264;

/// <summary>
/// One modification_of_pic_nums_idc step of ref_pic_list_modification() (H.264 7.3.3.1, Table 7-7): 0 subtracts
/// and 1 adds abs_diff_pic_num_minus1 + 1 to the predicted picture number, 2 places long_term_pic_num.
/// </summary>
/// <param name="Value">abs_diff_pic_num_minus1 for idc 0 and 1, long_term_pic_num for idc 2.</param>
public readonly record struct RefPicListModificationOperation(int ModificationOfPicNumsIdc, int Value);
