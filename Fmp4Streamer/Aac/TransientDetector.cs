namespace Fmp4Streamer.Aac;

/// <summary>
/// Finds attacks in a block of 1024 samples: the high-passed energy of each of its eight 128-sample parts against
/// the average of the parts before it. An attack in the first five parts needs this block's frame to use short
/// windows; one in the last four needs the next frame's (their short windows cover those samples).
/// </summary>
internal sealed class TransientDetector
{
    private const int Parts = 8, PartLength = 128, History = 8;
    // 10 dB above the recent average is an attack; below the floor (an amplitude of ~40 after the high-pass) is
    // silence, whose relative jumps are inaudible.
    private const float AttackRatio = 10f;
    private const float EnergyFloor = PartLength * 40f * 40f;
    private readonly float[] _history = new float[History];
    private float _lastSample;

    /// <summary>Analyses one block; returns whether it has an attack in parts 0-4 and in parts 4-7.</summary>
    public (bool Early, bool Late) Analyze(ReadOnlySpan<float> block)
    {
        bool early = false, late = false;
        for (int p = 0; p < Parts; p++)
        {
            float energy = 0, last = _lastSample;
            ReadOnlySpan<float> part = block.Slice(p * PartLength, PartLength);
            for (int i = 0; i < part.Length; i++)
            {
                float d = part[i] - last;
                last = part[i];
                energy += d * d;
            }
            _lastSample = last;
            float average = 0;
            for (int i = 0; i < History; i++) average += _history[i];
            average /= History;
            if (energy > EnergyFloor && energy > AttackRatio * average)
            {
                if (p <= 4) early = true;
                if (p >= 4) late = true;
            }
            Array.Copy(_history, 1, _history, 0, History - 1);
            _history[History - 1] = energy;
        }
        return (early, late);
    }
}
