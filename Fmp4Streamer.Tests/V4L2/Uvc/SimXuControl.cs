namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>One control of a simulated extension unit: its length, GET_INFO bits, values per request, injected errors.</summary>
public sealed class SimXuControl
{
    public SimXuControl(int length)
    {
        Length = length;
        Cur = new byte[length];
        Def = new byte[length];
        Min = new byte[length];
        Max = new byte[length];
        Res = new byte[length];
    }

    public int Length { get; }

    /// <summary>What GET_LEN answers (a firmware may claim more than the control holds).</summary>
    public int? ReportedLength { get; set; }

    /// <summary>GET_INFO: bit 0 GET supported, bit 1 SET supported.</summary>
    public byte Info { get; set; } = 0x03;

    public byte[] Cur { get; set; }
    public byte[] Def { get; set; }
    public byte[] Min { get; set; }
    public byte[] Max { get; set; }
    public byte[] Res { get; set; }

    /// <summary>errno per request code (UVC_GET_CUR...), answered instead of the value.</summary>
    public Dictionary<byte, int> Fail { get; } = new();

    /// <summary>Called with the bytes of each SET_CUR; stores them in <see cref="Cur"/> unless it returns other bytes.</summary>
    public Func<byte[], byte[]>? OnSet { get; set; }

    public List<byte[]> Sets { get; } = new();
}
