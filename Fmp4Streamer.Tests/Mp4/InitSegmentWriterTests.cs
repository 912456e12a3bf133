using Fmp4Streamer.Mp4;

namespace Fmp4Streamer.Tests.Mp4;

public class InitSegmentWriterTests
{
    /// <summary>
    /// Our init segment for the original's reference inputs. Differences from the original (compatibility §5) are marked "≠".
    /// </summary>
    private static readonly byte[] s_expectedInit = Hex.Parse("""
        00 00 00 24 66 74 79 70                                  // ftyp 36
           69 73 6f 6d 00 00 02 00                               //   major isom, minor 0x200
           69 73 6f 6d 69 73 6f 32 69 73 6f 35 61 76 63 31 6d 70 34 31 // isom iso2 iso5 avc1 mp41
        00 00 02 6e 6d 6f 6f 76                                  // moov 622 (≠ 638: no mehd)
           00 00 00 6c 6d 76 68 64 00 00 00 00                   // mvhd 108, v0
              00 00 00 00 00 00 00 00                            //   creation, modification
              00 00 3a 98 00 00 00 00                            //   timescale 15000, duration 0
              00 01 00 00 01 00 00 00 00 00 00 00 00 00 00 00    //   rate 1.0, volume 1.0, reserved
              00 01 00 00 00 00 00 00 00 00 00 00                //   matrix: identity
              00 00 00 00 00 01 00 00 00 00 00 00
              00 00 00 00 00 00 00 00 40 00 00 00
              00 00 00 00 00 00 00 00 00 00 00 00                //   pre_defined
              00 00 00 00 00 00 00 00 00 00 00 00
              00 00 00 02                                        //   next_track_ID 2 (≠ 0)
           00 00 01 d2 74 72 61 6b                               // trak 466
              00 00 00 5c 74 6b 68 64 00 00 00 07                // tkhd 92, v0, flags 7
                 00 00 00 00 00 00 00 00                         //   creation, modification
                 00 00 00 01 00 00 00 00 00 00 00 00             //   track_ID 1, reserved, duration 0
                 00 00 00 00 00 00 00 00                         //   reserved
                 00 00 00 00 00 00 00 00                         //   layer, alternate_group, volume, reserved
                 00 01 00 00 00 00 00 00 00 00 00 00             //   matrix: rotation 0
                 00 00 00 00 00 01 00 00 00 00 00 00
                 00 00 00 00 00 00 00 00 40 00 00 00
                 02 80 00 00 01 e0 00 00                         //   width 640.0, height 480.0
              00 00 01 6e 6d 64 69 61                            // mdia 366
                 00 00 00 20 6d 64 68 64 00 00 00 00             // mdhd 32, v0
                    00 00 00 00 00 00 00 00                      //   creation, modification
                    00 00 3a 98 00 00 00 00                      //   timescale 15000, duration 0
                    55 c4 00 00                                  //   language "und", pre_defined
                 00 00 00 2d 68 64 6c 72 00 00 00 00             // hdlr 45
                    00 00 00 00 76 69 64 65                      //   pre_defined, handler vide
                    00 00 00 00 00 00 00 00 00 00 00 00          //   reserved
                    46 6d 70 34 53 74 72 65 61 6d 65 72 00       //   "Fmp4Streamer\0" (≠ "TinyStreamer\0")
                 00 00 01 19 6d 69 6e 66                         // minf 281
                    00 00 00 14 76 6d 68 64 00 00 00 01          // vmhd 20, flags 1
                       00 00 00 00 00 00 00 00                   //   graphicsmode, opcolor
                    00 00 00 24 64 69 6e 66                      // dinf 36
                       00 00 00 1c 64 72 65 66 00 00 00 00       // dref 28
                          00 00 00 01                            //   entry_count 1
                          00 00 00 0c 75 72 6c 20 00 00 00 01    // url  12, flags 1 (self-contained)
                    00 00 00 d9 73 74 62 6c                      // stbl 217
                       00 00 00 8d 73 74 73 64 00 00 00 00       // stsd 141
                          00 00 00 01                            //   entry_count 1
                          00 00 00 7d 61 76 63 31                // avc1 125
                             00 00 00 00 00 00 00 01             //   reserved, data_reference_index 1
                             00 00 00 00 00 00 00 00             //   pre_defined, reserved, pre_defined
                             00 00 00 00 00 00 00 00
                             02 80 01 e0                         //   width 640, height 480
                             00 48 00 00 00 48 00 00             //   72 dpi x 72 dpi
                             00 00 00 00 00 01                   //   reserved, frame_count 1
                             00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // compressorname
                             00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
                             00 18 ff ff                         //   depth 24, pre_defined -1
                             00 00 00 27 61 76 63 43             // avcC 39
                                01 64 00 2a                      //   version 1, High, compat 0, level 4.2 (from the SPS)
                                ff e1                            //   4-byte lengths, 1 SPS
                                00 0e 27 64 00 2a ac 2b 40 28 02 dd 00 f1 22 6a
                                01 00 06 28 ee 02 5c b0 00       //   1 PPS
                       00 00 00 10 73 74 74 73 00 00 00 00 00 00 00 00             // stts 16, empty (≠ order)
                       00 00 00 10 73 74 73 63 00 00 00 00 00 00 00 00             // stsc 16, empty
                       00 00 00 14 73 74 73 7a 00 00 00 00 00 00 00 00 00 00 00 00 // stsz 20, empty
                       00 00 00 10 73 74 63 6f 00 00 00 00 00 00 00 00             // stco 16, empty
           00 00 00 28 6d 76 65 78                               // mvex 40 (≠ 56: no mehd)
              00 00 00 20 74 72 65 78 00 00 00 00                // trex 32
                 00 00 00 01 00 00 00 01                         //   track_ID 1, sample description 1
                 00 00 00 00 00 00 00 00                         //   default duration 0, size 0
                 00 01 00 00                                     //   default flags: non-sync
        """);

    private static byte[] BuildGoldenInputs(int rotation = 0) => InitSegmentWriter.Build(new InitSegmentParameters(
        GoldenVectors.Sps, GoldenVectors.Pps, GoldenVectors.Width, GoldenVectors.Height, GoldenVectors.Timescale, rotation));

    [Test]
    public void WholeInitSegmentIsExact()
    {
        byte[] actual = BuildGoldenInputs();
        Assert.That(Hex.Format(actual), Is.EqualTo(Hex.Format(s_expectedInit)));
        Assert.That(actual, Has.Length.EqualTo(InitSegmentWriter.GetSize(GoldenVectors.Sps.Length, GoldenVectors.Pps.Length)));
    }

    private static IEnumerable<TestCaseData> AllBoxPaths()
    {
        foreach (var box in BoxWalker.Walk(s_expectedInit))
            yield return new TestCaseData(box.Path).SetName("Box " + box.Path.Replace('/', '.').TrimEnd());
    }

    /// <summary>The same comparison, box by box, so a failure names the box.</summary>
    [TestCaseSource(nameof(AllBoxPaths))]
    public void EachBoxIsExact(string path)
    {
        byte[] actual = BuildGoldenInputs();
        Assert.That(Hex.Format(BoxWalker.Bytes(actual, path)), Is.EqualTo(Hex.Format(BoxWalker.Bytes(s_expectedInit, path))));
    }

    /// <summary>Boxes the original wrote that ours must reproduce byte for byte (compatibility §5).</summary>
    private static readonly string[] s_identicalToOriginal =
    [
        "ftyp",
        "moov/trak/tkhd",
        "moov/trak/mdia/mdhd",
        "moov/trak/mdia/minf/vmhd",
        "moov/trak/mdia/minf/dinf",
        "moov/trak/mdia/minf/stbl/stsd", // avcC included: the golden SPS's bytes 1..3 are the original's fixed 64 00 2a
        "moov/trak/mdia/minf/stbl/stts",
        "moov/trak/mdia/minf/stbl/stsc",
        "moov/trak/mdia/minf/stbl/stsz",
        "moov/trak/mdia/minf/stbl/stco",
        "moov/mvex/trex",
    ];

    [TestCaseSource(nameof(s_identicalToOriginal))]
    public void BoxIsIdenticalToTheOriginal(string path)
    {
        byte[] actual = BuildGoldenInputs();
        Assert.That(Hex.Format(BoxWalker.Bytes(actual, path)),
            Is.EqualTo(Hex.Format(BoxWalker.Bytes(GoldenVectors.OriginalInit, path))));
    }

    [Test]
    public void MvhdDiffersFromTheOriginalOnlyInNextTrackId()
    {
        byte[] ours = BoxWalker.Bytes(BuildGoldenInputs(), "moov/mvhd");
        byte[] original = BoxWalker.Bytes(GoldenVectors.OriginalInit, "moov/mvhd");
        Assert.That(Hex.Format(ours.AsSpan(0, 104)), Is.EqualTo(Hex.Format(original.AsSpan(0, 104))));
        Assert.That(Hex.Format(original.AsSpan(104)), Is.EqualTo("00000000"));
        Assert.That(Hex.Format(ours.AsSpan(104)), Is.EqualTo("00000002"));
    }

    [Test]
    public void HdlrDiffersFromTheOriginalOnlyInItsName()
    {
        byte[] ours = BoxWalker.Bytes(BuildGoldenInputs(), "moov/trak/mdia/hdlr");
        byte[] original = BoxWalker.Bytes(GoldenVectors.OriginalInit, "moov/trak/mdia/hdlr");
        Assert.That(Hex.Format(ours.AsSpan(0, 32)), Is.EqualTo(Hex.Format(original.AsSpan(0, 32))));
        Assert.That(System.Text.Encoding.ASCII.GetString(original.AsSpan(32)), Is.EqualTo("TinyStreamer\0"));
        Assert.That(System.Text.Encoding.ASCII.GetString(ours.AsSpan(32)), Is.EqualTo("Fmp4Streamer\0"));
    }

    [Test]
    public void OnlyMehdIsMissingAndNoBoxIsAdded()
    {
        var ours = new List<string>();
        foreach (var b in BoxWalker.Walk(BuildGoldenInputs())) ours.Add(b.Path);
        var original = new List<string>();
        foreach (var b in BoxWalker.Walk(GoldenVectors.OriginalInit)) original.Add(b.Path);
        Assert.That(original.Except(ours), Is.EqualTo(new[] { "moov/mvex/mehd" }));
        Assert.That(ours.Except(original), Is.Empty);
        Assert.That(GoldenVectors.OriginalInit.Length - BuildGoldenInputs().Length, Is.EqualTo(16));
    }

    private static IEnumerable<TestCaseData> Rotations()
    {
        // Spec 5.1 table: a b u / c d v / x y w, 16.16 except w (2.30).
        yield return new TestCaseData(0, """
            00 01 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 01 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 40 00 00 00
            """).SetName("Rotation 0");
        yield return new TestCaseData(90, """
            00 00 00 00 00 01 00 00 00 00 00 00
            ff ff 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 40 00 00 00
            """).SetName("Rotation 90");
        yield return new TestCaseData(180, """
            ff ff 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 ff ff 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 40 00 00 00
            """).SetName("Rotation 180");
        yield return new TestCaseData(270, """
            00 00 00 00 ff ff 00 00 00 00 00 00
            00 01 00 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 40 00 00 00
            """).SetName("Rotation 270");
    }

    [TestCaseSource(nameof(Rotations))]
    public void TkhdCarriesTheRotationMatrix(int rotation, string matrixHex)
    {
        byte[] matrix = Hex.Parse(matrixHex);
        byte[] expected = Hex.Parse($"""
            00 00 00 5c 74 6b 68 64 00 00 00 07     // tkhd 92
               00 00 00 00 00 00 00 00 00 00 00 01 //   creation, modification, track 1
               00 00 00 00 00 00 00 00             //   reserved, duration
               00 00 00 00 00 00 00 00             //   reserved
               00 00 00 00 00 00 00 00             //   layer, group, volume, reserved
               {matrixHex}
               02 80 00 00 01 e0 00 00             //   640x480, not swapped for 90/270
            """);
        byte[] actual = BuildGoldenInputs(rotation);
        Assert.That(Hex.Format(BoxWalker.Bytes(actual, "moov/trak/tkhd")), Is.EqualTo(Hex.Format(expected)));

        // Against the original: its rotation-0 init segment with only the matrix (0xd0..0xf3) replaced (compatibility §5).
        byte[] original = (byte[])GoldenVectors.OriginalInit.Clone();
        matrix.CopyTo(original, 0xd0);
        Assert.That(Hex.Format(BoxWalker.Bytes(actual, "moov/trak/tkhd")), Is.EqualTo(Hex.Format(BoxWalker.Bytes(original, "moov/trak/tkhd"))));

        // And nothing else in the segment depends on the rotation.
        byte[] unrotated = BuildGoldenInputs(0);
        int tkhd = BoxWalker.Find(actual, "moov/trak/tkhd").Offset;
        for (int i = 0; i < actual.Length; i++)
            if (i < tkhd + 48 || i >= tkhd + 84)
                Assert.That(actual[i], Is.EqualTo(unrotated[i]), $"byte {i:x} changed with rotation {rotation}");
    }

    [TestCase(-90)]
    [TestCase(45)]
    [TestCase(360)]
    [TestCase(1)]
    public void OtherRotationsAreRejected(int rotation)
    {
        var ex = Assert.Throws<ArgumentException>(() => BuildGoldenInputs(rotation));
        Assert.That(ex!.Message, Does.Contain(rotation.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static IEnumerable<TestCaseData> InvalidParameters()
    {
        byte[] sps = GoldenVectors.Sps, pps = GoldenVectors.Pps;
        yield return new TestCaseData(Hex.Parse("00 00 00 01 67 64"), pps, 640, 480, 15000u).SetName("SPS with start code");
        yield return new TestCaseData(Hex.Parse("67 64 00"), pps, 640, 480, 15000u).SetName("SPS too short");
        yield return new TestCaseData(pps, sps, 640, 480, 15000u).SetName("SPS and PPS swapped");
        yield return new TestCaseData(sps, Array.Empty<byte>(), 640, 480, 15000u).SetName("PPS empty");
        yield return new TestCaseData(sps, pps, 0, 480, 15000u).SetName("Width 0");
        yield return new TestCaseData(sps, pps, 640, 70000, 15000u).SetName("Height over 65535");
        yield return new TestCaseData(sps, pps, 640, 480, 0u).SetName("Timescale 0");
        var hugePps = new byte[70000];
        hugePps[0] = 0x68;
        yield return new TestCaseData(sps, hugePps, 640, 480, 15000u).SetName("PPS over 65535 bytes");
    }

    [TestCaseSource(nameof(InvalidParameters))]
    public void InvalidParametersAreRejected(byte[] sps, byte[] pps, int width, int height, uint timescale) =>
        Assert.Throws<ArgumentException>(() => InitSegmentWriter.Build(new InitSegmentParameters(sps, pps, width, height, timescale)));

    private static IEnumerable<TestCaseData> OtherSizesAndProfiles()
    {
        // avcC must follow the SPS (bytes 1..3), not the original's fixed 64 00 2a.
        yield return new TestCaseData(Hex.Parse("67 42 c0 1f 8c 8d 40 50 1e d0 0f 08 84 6a"), Hex.Parse("68 ce 3c 80"),
            1280, 720, 90000u, """
            00 00 00 25 61 76 63 43          // avcC 37
               01 42 c0 1f ff e1             //   Baseline, constraint_set0+1, level 3.1
               00 0e 67 42 c0 1f 8c 8d 40 50 1e d0 0f 08 84 6a
               01 00 04 68 ce 3c 80
            """, "05 00 00 00 02 d0 00 00", "05 00 02 d0", "00 01 5f 90").SetName("Baseline 1280x720 at 90 kHz");
        yield return new TestCaseData(Hex.Parse("67 4d 40 28 95 a0 1e 00 89 f9 50"), Hex.Parse("68 ee 3c 80"),
            1920, 1080, 30000u, """
            00 00 00 22 61 76 63 43          // avcC 34
               01 4d 40 28 ff e1             //   Main, constraint_set1, level 4.0
               00 0b 67 4d 40 28 95 a0 1e 00 89 f9 50
               01 00 04 68 ee 3c 80
            """, "07 80 00 00 04 38 00 00", "07 80 04 38", "00 00 75 30").SetName("Main 1920x1080 at 30 kHz");
    }

    [TestCaseSource(nameof(OtherSizesAndProfiles))]
    public void SizeTimescaleAndProfileComeFromTheParameters(byte[] sps, byte[] pps, int width, int height, uint timescale,
        string expectedAvcC, string expectedTkhdSize, string expectedAvc1Size, string expectedTimescale)
    {
        byte[] init = InitSegmentWriter.Build(new InitSegmentParameters(sps, pps, width, height, timescale));
        Assert.That(init, Has.Length.EqualTo(InitSegmentWriter.GetSize(sps.Length, pps.Length)));
        Assert.That(Hex.Format(BoxWalker.Bytes(init, "moov/trak/mdia/minf/stbl/stsd/avc1/avcC")),
            Is.EqualTo(Hex.Format(Hex.Parse(expectedAvcC))));
        byte[] tkhd = BoxWalker.Bytes(init, "moov/trak/tkhd");
        Assert.That(Hex.Format(tkhd.AsSpan(84)), Is.EqualTo(Hex.Format(Hex.Parse(expectedTkhdSize))));
        byte[] avc1 = BoxWalker.Bytes(init, "moov/trak/mdia/minf/stbl/stsd/avc1");
        Assert.That(Hex.Format(avc1.AsSpan(32, 4)), Is.EqualTo(Hex.Format(Hex.Parse(expectedAvc1Size))));
        Assert.That(Hex.Format(BoxWalker.Bytes(init, "moov/mvhd").AsSpan(20, 4)), Is.EqualTo(Hex.Format(Hex.Parse(expectedTimescale))));
        Assert.That(Hex.Format(BoxWalker.Bytes(init, "moov/trak/mdia/mdhd").AsSpan(20, 4)), Is.EqualTo(Hex.Format(Hex.Parse(expectedTimescale))));
    }

    [Test]
    public void WriteIntoASpanMatchesBuild()
    {
        var buffer = new byte[1000];
        buffer.AsSpan().Fill(0xCA);
        int length = InitSegmentWriter.Write(buffer, new InitSegmentParameters(
            GoldenVectors.Sps, GoldenVectors.Pps, GoldenVectors.Width, GoldenVectors.Height, GoldenVectors.Timescale));
        Assert.That(Hex.Format(buffer.AsSpan(0, length)), Is.EqualTo(Hex.Format(s_expectedInit)));
        Assert.That(buffer[length], Is.EqualTo(0xCA), "wrote past its length");
    }
}
