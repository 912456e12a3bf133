using System.Buffers.Binary;
using Fmp4Streamer.Mp4;
using Fmp4Streamer.Rtsp;
using NUnit.Framework;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>The AAC track's parts: its SDP lines, its config from the init segment, its units from a fragment, its packets.</summary>
public class RtspAudioUnitTests
{
    private static readonly byte[] Sps = { 0x67, 0x42, 0xC0, 0x1E, 0xDA, 0x02, 0x80 };
    private static readonly byte[] Pps = { 0x68, 0xCE, 0x3C, 0x80 };

    // AAC-LC (2), 48 kHz (index 3), mono; and 44.1 kHz (index 4) stereo.
    private static readonly byte[] Mono48k = { 0x11, 0x88 };
    private static readonly byte[] Stereo44k = { 0x12, 0x10 };

    private static byte[] Init(byte[] asc, int rate, int channels) =>
        InitSegmentWriter.Build(new InitSegmentParameters(Sps, Pps, 320, 240, 90000, 0, new AudioTrackParameters(asc, rate, channels, 1024)));

    [Test]
    public void The_sdp_gains_an_mpeg4_generic_track_after_the_video()
    {
        var sets = AvcParameterSets.FromInitSegment(Init(Mono48k, 48000, 1))!;
        string sdp = SdpWriter.Write("cam", sets, 30, 42, AacConfig.FromInitSegment(Init(Mono48k, 48000, 1)));
        string audio = sdp[sdp.IndexOf("m=audio", StringComparison.Ordinal)..];
        Assert.That(sdp.IndexOf("m=video", StringComparison.Ordinal), Is.LessThan(sdp.IndexOf("m=audio", StringComparison.Ordinal)));
        Assert.That(audio, Is.EqualTo(
            "m=audio 0 RTP/AVP 97\r\n" +
            "a=rtpmap:97 mpeg4-generic/48000/1\r\n" +
            "a=fmtp:97 streamtype=5;profile-level-id=41;mode=AAC-hbr;config=1188;sizeLength=13;indexLength=3;indexDeltaLength=3\r\n" +
            "a=control:trackID=1\r\n"));
        Assert.That(SdpWriter.Write("cam", sets, 30, 42), Does.Not.Contain("m=audio"));
    }

    [Test]
    public void The_config_comes_from_the_esds_of_the_init_segment()
    {
        var config = AacConfig.FromInitSegment(Init(Stereo44k, 44100, 2))!;
        Assert.That((config.SampleRate, config.Channels, config.AudioSpecificConfig), Is.EqualTo((44100, 2, Stereo44k)));
        var videoOnly = InitSegmentWriter.Build(new InitSegmentParameters(Sps, Pps, 320, 240, 90000));
        Assert.That(AacConfig.FromInitSegment(videoOnly), Is.Null);
        var init = Init(Mono48k, 48000, 1);
        int esds = init.AsSpan().IndexOf("esds"u8);
        Assert.That(AacConfig.FromInitSegment(init.AsSpan(0, esds + 20)), Is.Null, "a cut esds");
        Assert.That(AacConfig.FromAudioSpecificConfig(new byte[] { 0x17, 0x88 }), Is.Null, "a reserved rate index");
    }

    private static byte[] Fragment(byte[] video, byte[][] units, ulong audioDecodeTime)
    {
        var sizes = units.Select(u => u.Length).ToArray();
        int header = AvFragmentWriter.HeaderSize(units.Length);
        var fragment = new byte[header + video.Length + sizes.Sum()];
        AvFragmentWriter.WriteHeader(fragment, 7, 3000, 3000, true, video.Length, 0, audioDecodeTime, 1024, sizes);
        video.CopyTo(fragment, header);
        int at = header + video.Length;
        foreach (var u in units)
        {
            u.CopyTo(fragment, at);
            at += u.Length;
        }
        return fragment;
    }

    private static byte[] Unit(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + i * 3)).ToArray();

    [Test]
    public void The_units_are_read_from_the_second_traf()
    {
        byte[][] units = { Unit(200, 1), Unit(7, 2), Unit(371, 3) };
        var fragment = Fragment(Unit(500, 9), units, 123_456);
        Assert.That(FragmentAudio.TryRead(fragment, out var read), Is.True);
        Assert.That((read.Count, read.DecodeTime, read.UnitDuration), Is.EqualTo((3, 123_456UL, 1024u)));
        Assert.That(new[] { read.SizeOf(0), read.SizeOf(1), read.SizeOf(2) }, Is.EqualTo(new[] { 200, 7, 371 }));
        Assert.That(read.Data.ToArray(), Is.EqualTo(units.SelectMany(u => u).ToArray()));
        Assert.That(FragmentSample.TryRead(fragment, out var sample, out _) && sample.Length == 500, Is.True, "the video sample alone");
    }

    [Test]
    public void A_fragment_without_sound_or_with_units_past_its_end_has_none()
    {
        var fragment = Fragment(Unit(500, 9), new[] { Unit(200, 1) }, 0);
        Assert.That(FragmentAudio.TryRead(fragment.AsSpan(0, fragment.Length - 1), out _), Is.False);
        var videoOnly = new byte[FragmentWriter.HeaderSize + 10];
        FragmentWriter.WriteHeader(videoOnly, 1, 0, 3000, true, 10);
        Assert.That(FragmentAudio.TryRead(videoOnly, out _), Is.False);
        Assert.That(FragmentAudio.TryRead(new byte[] { 0, 0, 0, 9, (byte)'m', (byte)'o', (byte)'o', (byte)'f', 0 }, out _), Is.False);
    }

    private static AudioUnits Units(byte[][] units, ulong decodeTime = 0)
    {
        var sizes = new byte[units.Length * 4];
        for (int i = 0; i < units.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(sizes.AsSpan(i * 4), (uint)units[i].Length);
        return new AudioUnits(units.SelectMany(u => u).ToArray(), sizes, 4, units.Length, decodeTime, 1024);
    }

    private static (bool Marker, int Type, ushort Seq, uint Ts, int AuHeadersBits, int AuSize, int AuIndex, byte[] Data) Parse(RtpFrame frame, int i)
    {
        var d = frame.Datagram(i);
        Assert.That(d[0], Is.EqualTo(0x80));
        Assert.That(frame.Buffer[frame.PacketStart(i) + 1], Is.EqualTo(2), "interleaved channel");
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(d[8..]), Is.EqualTo(0xABCDu));
        int au = BinaryPrimitives.ReadUInt16BigEndian(d[14..]);
        return ((d[1] & 0x80) != 0, d[1] & 0x7F, BinaryPrimitives.ReadUInt16BigEndian(d[2..]), BinaryPrimitives.ReadUInt32BigEndian(d[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(d[12..]), au >> 3, au & 7, d[16..].ToArray());
    }

    [Test]
    public void Each_unit_goes_in_its_own_packet_behind_one_au_header()
    {
        var packetizer = new AacPacketizer(new RtpFramePool(), 1400, 0xABCD, 65535);
        byte[][] units = { Unit(300, 1), Unit(5, 2) };
        var frame = packetizer.Packetize(Units(units), 4_000_000_000)!;
        Assert.That(frame.PacketCount, Is.EqualTo(2));
        var p = Enumerable.Range(0, 2).Select(i => Parse(frame, i)).ToArray();
        Assert.That(p.Select(x => (x.Marker, x.Type, x.Seq, x.Ts, x.AuHeadersBits, x.AuSize, x.AuIndex)), Is.EqualTo(new[]
        {
            (true, 97, (ushort)65535, 4_000_000_000u, 16, 300, 0),
            (true, 97, (ushort)0, 4_000_001_024u, 16, 5, 0),
        }));
        Assert.That(p[0].Data, Is.EqualTo(units[0]));
        Assert.That(p[1].Data, Is.EqualTo(units[1]));
        Assert.That(frame.PayloadBytes, Is.EqualTo(300 + 5 + 8));
        Assert.That(packetizer.NextSequenceNumber, Is.EqualTo(1));
    }

    [Test]
    public void A_unit_larger_than_a_packet_goes_in_fragments_that_each_state_its_whole_size()
    {
        var packetizer = new AacPacketizer(new RtpFramePool(), 100, 0xABCD, 10);
        var big = Unit(250, 4); // 84 bytes of unit per 100-byte packet: 84 + 84 + 82
        var frame = packetizer.Packetize(Units(new[] { big, Unit(20, 5) }, 0), 5000)!;
        Assert.That(frame.PacketCount, Is.EqualTo(4));
        var p = Enumerable.Range(0, 4).Select(i => Parse(frame, i)).ToArray();
        Assert.That(p.Select(x => x.Marker), Is.EqualTo(new[] { false, false, true, true }));
        Assert.That(p.Select(x => x.Ts), Is.EqualTo(new[] { 5000u, 5000u, 5000u, 6024u }));
        Assert.That(p.Select(x => x.AuSize), Is.EqualTo(new[] { 250, 250, 250, 20 }));
        Assert.That(p.Select(x => x.Data.Length), Is.EqualTo(new[] { 84, 84, 82, 20 }));
        Assert.That(p.Take(3).SelectMany(x => x.Data).ToArray(), Is.EqualTo(big));
        Assert.That(Enumerable.Range(0, 4).All(i => frame.Datagram(i).Length <= 100));
    }

    [Test]
    public void A_unit_the_au_size_cannot_state_is_left_out_and_counted()
    {
        var packetizer = new AacPacketizer(new RtpFramePool(), 1400, 0xABCD, 0);
        var frame = packetizer.Packetize(Units(new[] { Unit(AacPacketizer.MaxUnitSize + 1, 1), Unit(10, 2) }), 0)!;
        Assert.That(frame.PacketCount, Is.EqualTo(1));
        Assert.That(Parse(frame, 0).Ts, Is.EqualTo(1024u), "the second unit keeps its own time");
        Assert.That(packetizer.UnitsRefused, Is.EqualTo(1));
        Assert.That(packetizer.Packetize(Units(new[] { Unit(AacPacketizer.MaxUnitSize + 1, 1) }), 0), Is.Null);
    }

    [Test]
    public void Packetizing_allocates_nothing_once_the_pool_is_warm()
    {
        var pool = new RtpFramePool();
        var packetizer = new AacPacketizer(pool, 1400, 0xABCD, 0);
        var units = Units(new[] { Unit(300, 1), Unit(280, 2) });
        var data = units.Data.ToArray();
        var sizes = units.Sizes.ToArray();
        void Frames()
        {
            var u = new AudioUnits(data, sizes, 4, 2, 0, 1024);
            for (int i = 0; i < 100; i++) packetizer.Packetize(u, (uint)i * 2048)!.Release();
        }
        Frames();
        Assert.That(Fmp4Streamer.Tests.TestSupport.AllocationProbe.MinimumBytes(3, Frames), Is.EqualTo(0));
    }
}
