using System.Diagnostics;
using Fmp4Streamer.H264;
using Fmp4Streamer.H264.Decoding;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>Mutated access units (bit flips, cuts, dropped bytes) never crash or hang the decoder, and it recovers at the next IDR.</summary>
public class DecoderFuzzTests
{
    private const int MutatedAccessUnits = 6000;

    [TestCase("keyint=10:cabac=0:bframes=0:ref=3:8x8dct=1:slices=2", TestName = "CAVLC stream")]
    [TestCase("keyint=10:bframes=0:ref=3:8x8dct=1:slices=2", TestName = "CABAC stream")]
    public void SurvivesMutatedAccessUnitsAndRecovers(string x264Params)
    {
        byte[] stream = File.ReadAllBytes(DecoderCorpus.X264(320, 240, 30, "high", x264Params));
        List<byte[]> units = Split(stream);
        var decoder = new H264Decoder();
        var random = new Random(20261205);
        var clock = Stopwatch.StartNew();
        byte[] scratch = new byte[stream.Length + 64];
        for (int i = 0; i < MutatedAccessUnits; i++)
        {
            byte[] unit = units[i % units.Count];
            int length = Mutate(unit, scratch, random);
            decoder.Decode(scratch.AsSpan(0, length), i);
            while (decoder.TryGetPicture(out DecodedPicture picture)) decoder.Return(picture);
        }
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(120)), "mutated input took too long");
        Assert.That(decoder.Errors, Is.GreaterThan(0), "the mutations should have damaged pictures");

        // The intact stream, fed to the same decoder, decodes exactly from its first IDR on.
        var (expected, _) = DecoderCorpus.DecodeMd5s(stream);
        var actual = new List<string>();
        foreach (byte[] unit in units)
        {
            decoder.Decode(unit, 0);
            while (decoder.TryGetPicture(out DecodedPicture picture))
            {
                byte[] i420 = new byte[picture.I420Size];
                picture.CopyI420(i420);
                actual.Add(Convert.ToHexString(System.Security.Cryptography.MD5.HashData(i420)).ToLowerInvariant());
                decoder.Return(picture);
            }
        }
        Assert.That(actual, Is.EqualTo(expected));
    }

    private static List<byte[]> Split(byte[] stream)
    {
        var splitter = new AccessUnitSplitter();
        splitter.Append(stream);
        var units = new List<byte[]>();
        while (splitter.TryTakeAccessUnit(out ReadOnlySpan<byte> unit)) units.Add(unit.ToArray());
        units.Add(splitter.Flush().ToArray());
        return units;
    }

    /// <summary>One random damage: flipped bits, a cut, a removed run of bytes, random bytes, or none (1 in 8).</summary>
    private static int Mutate(byte[] unit, byte[] output, Random random)
    {
        unit.CopyTo(output, 0);
        int length = unit.Length;
        switch (random.Next(8))
        {
            case 0:
            case 1:
            case 2:
                for (int k = random.Next(1, 9); k > 0; k--)
                {
                    int at = random.Next(length);
                    output[at] ^= (byte)(1 << random.Next(8));
                }
                break;
            case 3:
                length = random.Next(length);
                break;
            case 4:
            {
                int at = random.Next(length);
                int count = Math.Min(random.Next(1, 64), length - at);
                Array.Copy(output, at + count, output, at, length - at - count);
                length -= count;
                break;
            }
            case 5:
            {
                int at = random.Next(length);
                int count = Math.Min(random.Next(1, 32), length - at);
                random.NextBytes(output.AsSpan(at, count));
                break;
            }
            case 6:
                // A byte flipped near the start: slice headers and parameter sets.
                output[Math.Min(length - 1, random.Next(4, 24))] ^= (byte)random.Next(1, 256);
                break;
        }
        return length;
    }
}
