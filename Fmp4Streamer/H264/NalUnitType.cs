namespace Fmp4Streamer.H264;

/// <summary>nal_unit_type values, named as in H.264 Table 7-1.</summary>
public enum NalUnitType : byte
{
    Unspecified = 0,
    Slice = 1,
    SliceDataPartitionA = 2,
    SliceDataPartitionB = 3,
    SliceDataPartitionC = 4,
    Idr = 5,
    Sei = 6,
    Sps = 7,
    Pps = 8,
    AccessUnitDelimiter = 9,
    EndOfSequence = 10,
    EndOfStream = 11,
    FillerData = 12,
    SpsExtension = 13,
    Prefix = 14,
    SubsetSps = 15,
    DepthParameterSet = 16,
    Reserved17 = 17,
    Reserved18 = 18,
    AuxiliarySlice = 19,
    SliceExtension = 20,
    SliceExtensionDepth = 21,
}
