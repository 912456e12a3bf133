using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.asound;

namespace Fmp4Streamer.Alsa;

/// <summary>
/// Reads and narrows the masks and intervals of a <see cref="snd_pcm_hw_params"/> the way libasound does before
/// SNDRV_PCM_IOCTL_HW_REFINE: start from "anything", then restrict one parameter at a time.
/// </summary>
public static unsafe class HwParams
{
    private const int IntervalWords = 3;
    private const uint Integer = 1u << 2; // openmin:1, openmax:1, integer:1, empty:1 from the lowest bit
    private const uint Empty = 1u << 3;

    /// <summary>Every mask bit set, every interval [0, max]: what a device may choose from before refining.</summary>
    public static void Any(ref snd_pcm_hw_params p)
    {
        p = default;
        fixed (snd_pcm_hw_params* q = &p)
        {
            for (int i = 0; i < 3 * 8; i++) q->masks[i] = uint.MaxValue;
            for (int k = 0; k < 12; k++)
            {
                q->intervals[k * IntervalWords] = 0;
                q->intervals[k * IntervalWords + 1] = uint.MaxValue;
            }
        }
        p.rmask = uint.MaxValue;
        p.info = uint.MaxValue;
    }

    /// <summary>Keeps only <paramref name="value"/> in mask <paramref name="param"/> (access, format, subformat).</summary>
    public static void SetMask(ref snd_pcm_hw_params p, int param, int value)
    {
        fixed (snd_pcm_hw_params* q = &p)
        {
            uint* mask = q->masks + (param - SNDRV_PCM_HW_PARAM_FIRST_MASK) * 8;
            for (int i = 0; i < 8; i++) mask[i] = 0;
            mask[value >> 5] = 1u << (value & 31);
        }
        p.rmask |= 1u << param;
    }

    public static bool MaskHas(in snd_pcm_hw_params p, int param, int value)
    {
        fixed (snd_pcm_hw_params* q = &p)
            return (q->masks[(param - SNDRV_PCM_HW_PARAM_FIRST_MASK) * 8 + (value >> 5)] & (1u << (value & 31))) != 0;
    }

    /// <summary>Restricts interval <paramref name="param"/> to integers in [min, max].</summary>
    public static void SetInterval(ref snd_pcm_hw_params p, int param, uint min, uint max)
    {
        fixed (snd_pcm_hw_params* q = &p)
        {
            uint* i = q->intervals + (param - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL) * IntervalWords;
            i[0] = min;
            i[1] = max;
            i[2] = Integer;
        }
        p.rmask |= 1u << param;
    }

    public static (uint Min, uint Max) Interval(in snd_pcm_hw_params p, int param)
    {
        fixed (snd_pcm_hw_params* q = &p)
        {
            uint* i = q->intervals + (param - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL) * IntervalWords;
            return (i[0], i[1]);
        }
    }

    public static bool IsEmpty(in snd_pcm_hw_params p, int param)
    {
        fixed (snd_pcm_hw_params* q = &p)
            return (q->intervals[(param - SNDRV_PCM_HW_PARAM_FIRST_INTERVAL) * IntervalWords + 2] & Empty) != 0;
    }
}
