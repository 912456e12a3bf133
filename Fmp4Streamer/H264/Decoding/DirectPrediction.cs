namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Direct prediction of B_Skip, B_Direct_16x16 and the direct quarters of B_8x8 (H.264 8.4.1.2): spatial or
/// temporal as the slice says, writing both lists' indices and vectors of the derived blocks to the grid.
/// </summary>
internal sealed class DirectPrediction
{
    private readonly SpatialDirect _spatial = new();

    public void BeginMacroblock() => _spatial.BeginMacroblock();

    /// <summary>Derives the 8x8 quarters of <paramref name="quarterMask"/> (0xF: the whole macroblock); false when a reference is missing.</summary>
    public bool Derive(MotionVectorPredictor predictor, InterContext inter, MacroblockGrid grid, int mbX, int mbY, int quarterMask) =>
        inter.DirectSpatial
            ? _spatial.Derive(predictor, inter, grid, mbX, mbY, quarterMask)
            : TemporalDirect.Derive(predictor, inter, grid, mbX, mbY, quarterMask);
}
