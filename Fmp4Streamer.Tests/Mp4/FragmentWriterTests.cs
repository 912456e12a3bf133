using Fmp4Streamer.Mp4;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Mp4;

public class FragmentWriterTests
{
    /// <summary>Writes the sample first (as the caller does during its one copy), then the header in front of it.</summary>
    private static byte[] Fragment(uint seq, ulong decodeTime, uint duration, bool sync, byte[] sample)
    {
        var buffer = new byte[FragmentWriter.HeaderSize + sample.Length];
        buffer.AsSpan().Fill(0xCA);
        sample.CopyTo(buffer, FragmentWriter.HeaderSize);
        int header = FragmentWriter.WriteHeader(buffer, seq, decodeTime, duration, sync, sample.Length);
        Assert.That(header, Is.EqualTo(FragmentWriter.HeaderSize));
        return buffer;
    }

    [Test]
    public void HeaderSizeIsMoofPlusMdatHeader() => Assert.That(FragmentWriter.HeaderSize, Is.EqualTo(108 + 8));

    /// <summary>
    /// The fragments are the original's for the same inputs but for trun, which is version 1 with a composition time
    /// offset (4 more bytes in moof, traf and trun, and in the data offset).
    /// </summary>
    [Test]
    public void IdrFragmentMatchesTheOriginalWithACompositionOffset()
    {
        byte[] sample = GoldenVectors.Avcc(GoldenVectors.Sps, GoldenVectors.Pps, GoldenVectors.IdrSlice);
        Assert.That(Hex.Format(Fragment(0, 0, 1, true, sample)),
            Is.EqualTo(Hex.Format(WithCompositionOffset(GoldenVectors.OriginalIdrFragment))));
    }

    [Test]
    public void NonIdrFragmentMatchesTheOriginalWithACompositionOffset()
    {
        byte[] sample = GoldenVectors.Avcc(GoldenVectors.NonIdrSlice);
        Assert.That(Hex.Format(Fragment(1, 1, 500, false, sample)),
            Is.EqualTo(Hex.Format(WithCompositionOffset(GoldenVectors.OriginalNonIdrFragment))));
    }

    /// <summary>The original fragment with trun turned into version 1 with a zero composition offset.</summary>
    private static byte[] WithCompositionOffset(byte[] original)
    {
        var bytes = new List<byte>(original);
        bytes.InsertRange(0x68, new byte[4]);                 // sample_composition_time_offset after sample_size
        bytes[3] += 4;                                         // moof size
        bytes[0x1B] += 4;                                      // traf size
        bytes[0x4B] += 4;                                      // trun size
        bytes[0x50] = 1;                                       // trun version
        bytes[0x52] |= 0x08;                                   // flags: sample-composition-time-offsets-present
        bytes[0x5B] += 4;                                      // data_offset
        return bytes.ToArray();
    }

    private static IEnumerable<TestCaseData> Headers()
    {
        yield return new TestCaseData(1u, 0ul, 3000u, true, 0, 0, """
            00 00 00 6c 6d 6f 6f 66                               // moof 108
               00 00 00 10 6d 66 68 64 00 00 00 00                // mfhd 16
                  00 00 00 01                                     //   sequence_number 1
               00 00 00 54 74 72 61 66                            // traf 84
                  00 00 00 14 74 66 68 64 00 02 00 20             // tfhd 20, default-base-is-moof | default-sample-flags
                     00 00 00 01 01 01 00 00                      //   track 1, default flags non-sync
                  00 00 00 14 74 66 64 74 01 00 00 00             // tfdt 20, v1
                     00 00 00 00 00 00 00 00                      //   baseMediaDecodeTime 0
                  00 00 00 24 74 72 75 6e 01 00 0b 05             // trun 36, v1, offset | first flags | duration | size | cto
                     00 00 00 01 00 00 00 74                      //   1 sample, data_offset 116
                     02 00 00 00                                  //   first_sample_flags: sync
                     00 00 0b b8 00 00 00 00                      //   duration 3000, size 0
                     00 00 00 00                                  //   composition offset 0
            00 00 00 08 6d 64 61 74                               // mdat 8, empty
            """).SetName("Sync, empty sample");
        yield return new TestCaseData(0xFFFFFFFFu, 0x0000_0001_2345_6789ul, 0xFFFFFFFFu, false, 0x12345, 6000, """
            00 00 00 6c 6d 6f 6f 66                               // moof 108
               00 00 00 10 6d 66 68 64 00 00 00 00                // mfhd 16
                  ff ff ff ff                                     //   sequence_number 2^32-1
               00 00 00 54 74 72 61 66                            // traf 84
                  00 00 00 14 74 66 68 64 00 02 00 20             // tfhd 20
                     00 00 00 01 01 01 00 00
                  00 00 00 14 74 66 64 74 01 00 00 00             // tfdt 20, v1
                     00 00 00 01 23 45 67 89                      //   beyond 32 bits (13.3 h at 90 kHz)
                  00 00 00 24 74 72 75 6e 01 00 0b 05             // trun 36
                     00 00 00 01 00 00 00 74
                     01 01 00 00                                  //   first_sample_flags: non-sync
                     ff ff ff ff 00 01 23 45                      //   duration 2^32-1, size 0x12345
                     00 00 17 70                                  //   composition offset 6000 (two frames at 30 fps)
            00 01 23 4d 6d 64 61 74                               // mdat 8 + 0x12345
            """).SetName("Non-sync, 64-bit decode time, large sample, B-frame offset");
        yield return new TestCaseData(2u, 3000ul, 3000u, false, 16, -3000, """
            00 00 00 6c 6d 6f 6f 66                               // moof 108
               00 00 00 10 6d 66 68 64 00 00 00 00                // mfhd 16
                  00 00 00 02                                     //   sequence_number 2
               00 00 00 54 74 72 61 66                            // traf 84
                  00 00 00 14 74 66 68 64 00 02 00 20             // tfhd 20
                     00 00 00 01 01 01 00 00
                  00 00 00 14 74 66 64 74 01 00 00 00             // tfdt 20, v1
                     00 00 00 00 00 00 0b b8                      //   3000
                  00 00 00 24 74 72 75 6e 01 00 0b 05             // trun 36
                     00 00 00 01 00 00 00 74
                     01 01 00 00
                     00 00 0b b8 00 00 00 10                      //   duration 3000, size 16
                     ff ff f4 48                                  //   composition offset -3000 (signed, version 1)
            00 00 00 18 6d 64 61 74                               // mdat 8 + 16
            """).SetName("Negative composition offset");
    }

    [TestCaseSource(nameof(Headers))]
    public void HeaderIsExact(uint seq, ulong decodeTime, uint duration, bool sync, int sampleSize, int offset, string expectedHex)
    {
        // Only the header's bytes are touched, so a header-only buffer works (for gathered sends).
        var header = new byte[FragmentWriter.HeaderSize];
        header.AsSpan().Fill(0xCA);
        FragmentWriter.WriteHeader(header, seq, decodeTime, duration, sync, sampleSize, offset);
        Assert.That(Hex.Format(header), Is.EqualTo(Hex.Format(Hex.Parse(expectedHex))));
    }

    [Test]
    public void TfdtValueOffsetPointsAtTheDecodeTime()
    {
        var header = new byte[FragmentWriter.HeaderSize];
        FragmentWriter.WriteHeader(header, 7, 0x0102_0304_0506_0708ul, 3000, true, 0, 3000);
        var tfdt = BoxWalker.Find(header, "moof/traf/tfdt");
        Assert.That(FragmentWriter.TfdtValueOffset, Is.EqualTo(tfdt.Offset + 12));
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(FragmentWriter.TfdtValueOffset)),
            Is.EqualTo(0x0102_0304_0506_0708ul));
    }

    [Test]
    public void DataOffsetPointsAtTheSample()
    {
        byte[] sample = GoldenVectors.Avcc(GoldenVectors.NonIdrSlice);
        byte[] fragment = Fragment(9, 12345, 3000, false, sample);
        var moof = BoxWalker.Find(fragment, "moof");
        var trun = BoxWalker.Find(fragment, "moof/traf/trun");
        int dataOffset = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(fragment.AsSpan(trun.Offset + 16));
        Assert.That(dataOffset, Is.EqualTo(moof.Size + 8));
        Assert.That(Hex.Format(fragment.AsSpan(moof.Offset + dataOffset)), Is.EqualTo(Hex.Format(sample)));
    }

    [Test]
    public void NegativeSampleSizeIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FragmentWriter.WriteHeader(new byte[200], 1, 0, 1, true, -1));

    [Test]
    public void TooSmallBufferIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FragmentWriter.WriteHeader(new byte[100], 1, 0, 1, true, 0));

    [Test]
    public void WritingHeadersAllocatesNothing()
    {
        const int iterations = 10_000;
        var buffer = new byte[FragmentWriter.HeaderSize + 1000];
        // Warm up: JIT tiers and static initialisation happen here, not in the measurement.
        for (int i = 0; i < 1000; i++) FragmentWriter.WriteHeader(buffer, (uint)i, (ulong)i * 3000, 3000, (i % 30) == 0, 1000);
        uint sequence = 0;
        // The least of a few runs: a one-off runtime allocation (6 KB seen once in 40 runs) lands in one run only.
        long allocated = AllocationProbe.MinimumBytes(5, () =>
        {
            for (int i = 0; i < iterations; i++, sequence++)
                FragmentWriter.WriteHeader(buffer, sequence, (ulong)sequence * 3000, 3000, (sequence % 30) == 0, 1000);
        });
        // Any allocation per header is at least an object header (24 bytes): under one byte per call means none.
        Assert.That(allocated, Is.LessThan(iterations), $"{allocated} bytes over {iterations} headers");
    }
}
