using Fmp4Streamer.H264;
using Fmp4Streamer.H264.Decoding;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>Once warmed up, decoding allocates nothing per frame: pictures, grids and buffers are reused.</summary>
public class DecoderAllocationTests
{
    [TestCase("keyint=10:cabac=0:bframes=0:ref=2:8x8dct=1:weightp=2", TestName = "CAVLC P frames allocate nothing")]
    [TestCase("keyint=10:bframes=3:ref=3:8x8dct=1:weightb=1:direct=temporal", TestName = "CABAC B frames allocate nothing")]
    public void DecodingAGroupOfPicturesAllocatesNothing(string x264Params)
    {
        byte[] stream = File.ReadAllBytes(DecoderCorpus.X264(320, 240, 20, "high", x264Params));
        var units = new List<byte[]>();
        var splitter = new AccessUnitSplitter();
        splitter.Append(stream);
        while (splitter.TryTakeAccessUnit(out ReadOnlySpan<byte> unit)) units.Add(unit.ToArray());
        units.Add(splitter.Flush().ToArray());

        var decoder = new H264Decoder();
        void DecodeAll()
        {
            foreach (byte[] unit in units)
            {
                decoder.Decode(unit, 0);
                while (decoder.TryGetPicture(out DecodedPicture picture)) decoder.Return(picture);
            }
        }
        DecodeAll();
        int created = decoder.PicturesCreated;
        long allocated = AllocationProbe.MinimumBytes(3, DecodeAll);
        Assert.That(allocated, Is.EqualTo(0), "bytes allocated decoding 20 frames after warm-up");
        Assert.That(decoder.PicturesCreated, Is.EqualTo(created), "pictures come from the pool");
        Assert.That(decoder.Errors, Is.EqualTo(0));
    }
}
