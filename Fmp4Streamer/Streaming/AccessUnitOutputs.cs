namespace Fmp4Streamer.Streaming;

/// <summary>
/// The <see cref="IAccessUnitOutput"/>s of one hub: each starts at a key frame, and those holding the source count as
/// viewers. Copy-on-write array: delivery iterates a stable snapshot while callbacks may detach.
/// </summary>
internal sealed class AccessUnitOutputs
{
    private sealed class Slot(IAccessUnitOutput output)
    {
        public readonly IAccessUnitOutput Output = output;
        public bool Started;
        public bool Holds;
    }

    private Slot[] _slots = Array.Empty<Slot>();

    /// <summary>Outputs holding the source awake.</summary>
    public int Holders { get; private set; }

    public int Count => _slots.Length;

    /// <summary>A holding output still waits for its first key frame: the hub keeps asking for one.</summary>
    public bool HolderWaiting
    {
        get
        {
            foreach (var s in _slots)
                if (s.Holds && !s.Started) return true;
            return false;
        }
    }

    public void Attach(IAccessUnitOutput output)
    {
        if (Find(output) is not null) return;
        _slots = [.. _slots, new Slot(output)];
    }

    /// <summary>Removes the output; true when it was holding the source.</summary>
    public bool Detach(IAccessUnitOutput output)
    {
        var slot = Find(output);
        if (slot is null) return false;
        _slots = Array.FindAll(_slots, s => s != slot);
        if (!slot.Holds) return false;
        Holders--;
        return true;
    }

    /// <summary>Sets whether the (attached) output holds the source; true when that changed.</summary>
    public bool SetHold(IAccessUnitOutput output, bool holds)
    {
        var slot = Find(output) ?? throw new InvalidOperationException("the output is not attached");
        if (slot.Holds == holds) return false;
        slot.Holds = holds;
        Holders += holds ? 1 : -1;
        return true;
    }

    /// <summary>Whether the output has seen its key frame since it attached or since the last discontinuity.</summary>
    public bool IsStarted(IAccessUnitOutput output) => Find(output)?.Started ?? false;

    public void Deliver(in AccessUnit unit)
    {
        var slots = _slots;
        for (int i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            if (!slot.Started)
            {
                if (!unit.IsKeyFrame) continue;
                slot.Started = true;
            }
            slot.Output.OnAccessUnit(unit);
        }
    }

    public void Discontinue()
    {
        var slots = _slots;
        foreach (var slot in slots)
        {
            bool started = slot.Started;
            slot.Started = false;
            if (started) slot.Output.OnDiscontinuity();
        }
    }

    private Slot? Find(IAccessUnitOutput output)
    {
        foreach (var s in _slots)
            if (s.Output == output) return s;
        return null;
    }
}
