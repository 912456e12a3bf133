namespace Fmp4Streamer.Config;

/// <summary>How a config value is parsed and validated.</summary>
public enum ConfigKeyType
{
    /// <summary>Empty, an IP address or a host name.</summary>
    Address,
    /// <summary>1..65535.</summary>
    Port,
    /// <summary>Decimal integer within the key's Min..Max.</summary>
    Integer,
    /// <summary>Byte count with an optional K, M or G (binary) suffix, within Min..Max.</summary>
    Bytes,
    /// <summary>Seconds, integer or decimal, within Min..Max.</summary>
    Seconds,
    /// <summary>1/yes/true/on or 0/no/false/off.</summary>
    Boolean,
    /// <summary>0, 90, 180 or 270.</summary>
    Rotation,
    /// <summary>A 4-character fourcc, or MJPGH264.</summary>
    CaptureFormat,
    /// <summary>A 4-character fourcc.</summary>
    FourCC,
    /// <summary>MMAP or DMABUF.</summary>
    Memory,
    /// <summary>INPUT-CAPTURE, each MMAP or DMABUF.</summary>
    MemoryPair,
    /// <summary>Path of a device node; empty = none.</summary>
    DevicePath,
    /// <summary>URL-safe stream name.</summary>
    StreamName,
    /// <summary>"*", one web origin (scheme://host[:port]) or empty.</summary>
    Origin,
    /// <summary>Free text (a shell command line).</summary>
    Text,
    /// <summary>error, warning, info or debug.</summary>
    LogLevel,
    /// <summary>Addresses and networks (a.b.c.d/bits, IPv6/bits) separated by commas; empty = none.</summary>
    Networks,
    /// <summary>Names separated by commas or spaces; empty = none.</summary>
    NameList,
    /// <summary>Path of a file; empty = none.</summary>
    FilePath,
}
