namespace Fmp4Streamer.Aac;

/// <summary>
/// Chooses each frame's window sequence from whether this frame and the next need short windows, keeping the
/// transitions the standard allows: long, start, short..., stop, long. A frame that needs short windows is
/// announced by its predecessor's start window, which is why the encoder looks one block ahead.
/// </summary>
internal sealed class WindowSequencer
{
    private WindowSequence _previous = WindowSequence.OnlyLong;

    public WindowSequence Next(bool shortHere, bool shortNext)
    {
        bool previousLeadsToShort = _previous is WindowSequence.LongStart or WindowSequence.EightShort;
        WindowSequence sequence;
        if (_previous == WindowSequence.LongStart) sequence = WindowSequence.EightShort;
        else if (shortHere && previousLeadsToShort) sequence = WindowSequence.EightShort;
        else if (shortHere || shortNext)
            sequence = _previous == WindowSequence.EightShort ? WindowSequence.EightShort : WindowSequence.LongStart;
        else sequence = _previous == WindowSequence.EightShort ? WindowSequence.LongStop : WindowSequence.OnlyLong;
        _previous = sequence;
        return sequence;
    }
}
