namespace Fmp4Streamer.Alsa;

/// <summary>The kinds of mixer control the config can set (SNDRV_CTL_ELEM_TYPE_BOOLEAN, _INTEGER, _ENUMERATED).</summary>
public enum MixerControlType
{
    Boolean,
    Integer,
    Enumerated,
}
