using System.Buffers.Binary;
using Fmp4Streamer.Mp4;
using Fmp4Streamer.Rtsp;
using NUnit.Framework;

namespace Fmp4Streamer.Tests.Rtsp;

public class FragmentSampleTests
{
    [Test]
    public void Reads_the_sample_of_a_hub_fragment()
    {
        var sample = new byte[] { 0, 0, 0, 2, 0x65, 0x88 };
        var buffer = new byte[FragmentWriter.HeaderSize + sample.Length];
        FragmentWriter.WriteHeader(buffer, 1, 0, 3000, true, sample.Length);
        sample.CopyTo(buffer, FragmentWriter.HeaderSize);
        Assert.That(FragmentSample.TryRead(buffer, out var read, out int offset), Is.True);
        Assert.That(read.ToArray(), Is.EqualTo(sample));
        Assert.That(offset, Is.EqualTo(0));
    }

    [Test]
    public void Reads_the_composition_offset_of_a_trun_that_has_one()
    {
        // moof(traf(trun v1: data-offset, duration, size, flags, composition offset)) + mdat.
        var trun = new byte[8 + 4 + 16];
        BinaryPrimitives.WriteUInt32BigEndian(trun, 0x01000F01);
        BinaryPrimitives.WriteUInt32BigEndian(trun.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32BigEndian(trun.AsSpan(24), -6000);
        byte[] Box(string type, byte[] body)
        {
            var b = new byte[8 + body.Length];
            BinaryPrimitives.WriteUInt32BigEndian(b, (uint)b.Length);
            System.Text.Encoding.ASCII.GetBytes(type).CopyTo(b, 4);
            body.CopyTo(b, 8);
            return b;
        }
        var fragment = Box("moof", Box("traf", Box("trun", trun))).Concat(Box("mdat", new byte[] { 0, 0, 0, 1, 0x41 })).ToArray();
        Assert.That(FragmentSample.TryRead(fragment, out var read, out int offset), Is.True);
        Assert.That(offset, Is.EqualTo(-6000));
        Assert.That(read.Length, Is.EqualTo(5));
        Assert.That(FragmentSample.TryRead(fragment.AsSpan(0, fragment.Length - 1), out _, out _), Is.False);
    }
}
