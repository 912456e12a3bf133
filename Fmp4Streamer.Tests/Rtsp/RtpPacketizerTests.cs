using System.Buffers.Binary;
using Fmp4Streamer.Rtsp;
using Fmp4Streamer.Tests.TestSupport;
using NUnit.Framework;

namespace Fmp4Streamer.Tests.Rtsp;

public class RtpPacketizerTests
{
    private static readonly byte[] Sps = { 0x67, 0x42, 0xC0, 0x1E, 0xDA, 0x02, 0x80 };
    private static readonly byte[] Pps = { 0x68, 0xCE, 0x3C, 0x80 };

    private static byte[] Avcc(params byte[][] nals)
    {
        var result = new List<byte>();
        foreach (var nal in nals)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)nal.Length);
            result.AddRange(length);
            result.AddRange(nal);
        }
        return result.ToArray();
    }

    private static byte[] Nal(byte header, int length)
    {
        var nal = new byte[length];
        nal[0] = header;
        for (int i = 1; i < length; i++) nal[i] = (byte)(i * 7);
        return nal;
    }

    private static (int Type, bool Marker, ushort Seq, uint Ts, byte[] Payload) Parse(RtpFrame frame, int i)
    {
        var d = frame.Datagram(i);
        Assert.That(d[0], Is.EqualTo(0x80));
        Assert.That(frame.Buffer[frame.PacketStart(i)], Is.EqualTo((byte)'$'));
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(frame.Buffer.AsSpan(frame.PacketStart(i) + 2)), Is.EqualTo(d.Length));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(d[8..]), Is.EqualTo(0x1234u));
        return (d[12] & 0x1F, (d[1] & 0x80) != 0, BinaryPrimitives.ReadUInt16BigEndian(d[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(d[4..]), d[12..].ToArray());
    }

    [Test]
    public void Key_frame_gets_sps_and_pps_first_and_the_marker_on_the_last_packet()
    {
        var packetizer = new RtpPacketizer(new RtpFramePool(), 1400, 0x1234, 100);
        var idr = Nal(0x65, 300);
        // The access unit's own delimiter and SPS are dropped: the stream's copies go first.
        var frame = packetizer.Packetize(Avcc(new byte[] { 0x09, 0xF0 }, Sps, idr), Sps, Pps, true, 9000)!;
        Assert.That(frame.PacketCount, Is.EqualTo(3));
        var p = Enumerable.Range(0, 3).Select(i => Parse(frame, i)).ToArray();
        Assert.That(p.Select(x => x.Type), Is.EqualTo(new[] { 7, 8, 5 }));
        Assert.That(p.Select(x => x.Marker), Is.EqualTo(new[] { false, false, true }));
        Assert.That(p.Select(x => x.Seq), Is.EqualTo(new ushort[] { 100, 101, 102 }));
        Assert.That(p.All(x => x.Ts == 9000));
        Assert.That(p[0].Payload, Is.EqualTo(Sps));
        Assert.That(p[2].Payload, Is.EqualTo(idr));
        Assert.That(packetizer.NextSequenceNumber, Is.EqualTo(103));
    }

    [Test]
    public void Large_nal_is_split_into_fu_a_packets_within_the_mtu_and_reassembles()
    {
        var packetizer = new RtpPacketizer(new RtpFramePool(), 500, 0x1234, 65534);
        var slice = Nal(0x41, 2000);
        var frame = packetizer.Packetize(Avcc(slice), Sps, Pps, false, 1)!;
        Assert.That(frame.PacketCount, Is.EqualTo(5)); // 1999 body bytes in 486-byte pieces
        var rebuilt = new List<byte> { 0x41 };
        for (int i = 0; i < frame.PacketCount; i++)
        {
            var d = frame.Datagram(i);
            Assert.That(d.Length, Is.LessThanOrEqualTo(500));
            var (type, marker, seq, _, payload) = Parse(frame, i);
            Assert.That(type, Is.EqualTo(28));
            Assert.That(payload[0] & 0xE0, Is.EqualTo(0x40)); // NRI kept
            Assert.That(payload[1] & 0x1F, Is.EqualTo(1));
            Assert.That((payload[1] & 0x80) != 0, Is.EqualTo(i == 0), "start bit");
            Assert.That((payload[1] & 0x40) != 0, Is.EqualTo(i == frame.PacketCount - 1), "end bit");
            Assert.That(marker, Is.EqualTo(i == frame.PacketCount - 1));
            Assert.That(seq, Is.EqualTo((ushort)(65534 + i)), "wraps");
            rebuilt.AddRange(payload[2..]);
        }
        Assert.That(rebuilt, Is.EqualTo(slice));
    }

    [Test]
    public void Several_slices_each_go_alone_with_one_marker()
    {
        var packetizer = new RtpPacketizer(new RtpFramePool(), 1400, 0x1234, 0);
        var frame = packetizer.Packetize(Avcc(Nal(0x06, 20), Nal(0x41, 100), Nal(0x41, 100)), Sps, Pps, false, 5)!;
        Assert.That(frame.PacketCount, Is.EqualTo(3));
        Assert.That(Enumerable.Range(0, 3).Select(i => Parse(frame, i).Marker), Is.EqualTo(new[] { false, false, true }));
    }

    [Test]
    public void Truncated_sample_stops_at_the_last_whole_nal()
    {
        var packetizer = new RtpPacketizer(new RtpFramePool(), 1400, 0x1234, 0);
        var avcc = Avcc(Nal(0x41, 100), Nal(0x41, 100));
        var frame = packetizer.Packetize(avcc.AsSpan(0, avcc.Length - 1), Sps, Pps, false, 5)!;
        Assert.That(frame.PacketCount, Is.EqualTo(1));
        Assert.That(packetizer.Packetize(Avcc(new byte[] { 0x09, 0x10 }), Sps, Pps, false, 5), Is.Null);
    }

    [Test]
    public void Released_frames_are_reused_without_allocating()
    {
        var pool = new RtpFramePool();
        var packetizer = new RtpPacketizer(pool, 1400, 0x1234, 0);
        var key = Avcc(Nal(0x65, 60_000));
        var delta = Avcc(Nal(0x41, 8_000), Nal(0x41, 300));
        void Frames()
        {
            for (int i = 0; i < 100; i++)
                packetizer.Packetize(i % 30 == 0 ? key : delta, Sps, Pps, i % 30 == 0, (uint)i)!.Release();
        }
        Frames();
        Assert.That(AllocationProbe.MinimumBytes(3, Frames), Is.EqualTo(0));
        Assert.That(pool.Outstanding, Is.EqualTo(0));
    }
}
