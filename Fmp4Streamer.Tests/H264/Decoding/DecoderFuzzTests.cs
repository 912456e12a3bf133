using System.Diagnostics;
using System.Security.Cryptography;
using Fmp4Streamer.H264;
using Fmp4Streamer.H264.Decoding;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>
/// 100,000 damaged access units (bit flips, cuts, dropped NAL units and whole units, wrong and foreign parameter sets)
/// over small streams of every kind the decoder handles: nothing escapes the decoder, no unit takes long, the damage
/// is counted, and each decoder then decodes its intact stream exactly from the first IDR on.
/// </summary>
public class DecoderFuzzTests
{
    private const int MutatedAccessUnits = 100_000;

    /// <summary>One in this many units passes intact, so decoding recovers at IDRs and damage meets decoded references.</summary>
    private const int IntactEvery = 4;

    private static readonly string[] Corpus =
    [
        DecoderCorpus.X264(128, 96, 20, "high", "keyint=6:cabac=0:bframes=2:b-pyramid=normal:ref=3:8x8dct=1:slices=2:weightb=1"),
        DecoderCorpus.X264(128, 96, 20, "high", "keyint=6:bframes=3:direct=temporal:ref=3:8x8dct=1:weightp=2:slices=3"),
        DecoderCorpus.X264(128, 96, 20, "main", "keyint=8:bframes=2:b-pyramid=strict:weightb=1:ref=2"),
        DecoderCorpus.X264(96, 64, 20, "baseline", "keyint=8:ref=2:slices=4"),
    ];

    [Test]
    public void SurvivesDamagedAccessUnitsAndRecoversAtTheNextIdr()
    {
        var streams = Corpus.Select(File.ReadAllBytes).ToArray();
        var units = streams.Select(Split).ToArray();
        var decoders = streams.Select(_ => new H264Decoder()).ToArray();
        var mutators = streams.Select((_, i) => new AccessUnitMutator(20261205 + i, ParameterSets(units[(i + 1) % units.Length][0]))).ToArray();
        int largest = units.SelectMany(u => u).Max(u => u.Length);
        byte[] scratch = new byte[2 * largest + 4096];
        var kinds = new int[AccessUnitMutator.Kinds];
        for (int s = 0; s < streams.Length; s++) Md5sOf(decoders[s], units[s]);   // compiles every path before the clock starts
        var clock = Stopwatch.StartNew();
        long slowest = 0;
        int mutated = 0;
        for (int step = 0; mutated < MutatedAccessUnits; step++)
        {
            int s = step % streams.Length;
            byte[] unit = units[s][(step / streams.Length) % units[s].Count];
            int length = unit.Length;
            if ((step / streams.Length) % IntactEvery == 0)
            {
                unit.CopyTo(scratch, 0);
            }
            else
            {
                length = mutators[s].Mutate(unit, scratch, out int kind);
                kinds[kind]++;
                mutated++;
            }
            long before = clock.ElapsedTicks;
            decoders[s].Decode(scratch.AsSpan(0, length), step);
            while (decoders[s].TryGetPicture(out DecodedPicture picture)) decoders[s].Return(picture);
            slowest = Math.Max(slowest, clock.ElapsedTicks - before);
        }
        TimeSpan elapsed = clock.Elapsed;
        int errors = decoders.Sum(d => d.Errors);
        TestContext.Out.WriteLine($"{mutated} damaged access units ({string.Join(", ", kinds)} by kind) in {elapsed.TotalSeconds:F1} s; " +
            $"{errors} pictures dropped as damaged; slowest unit {slowest * 1000.0 / Stopwatch.Frequency:F1} ms");
        // Bounds a loop that never ends, not speed: the machine running the suite may be busy.
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(120)), "damaged input took too long");
        Assert.That(slowest, Is.LessThan(2 * Stopwatch.Frequency), "one access unit took more than 2 s");
        for (int s = 0; s < streams.Length; s++)
        {
            Assert.That(decoders[s].Errors, Is.GreaterThan(1000), $"stream {s}: damage should have been counted; refusal {decoders[s].Refusal}");
            Assert.That(Md5sOf(decoders[s], units[s]), Is.EqualTo(DecoderCorpus.DecodeMd5s(streams[s]).Md5s), $"stream {s} after the damage");
        }
    }

    /// <summary>The pictures a decoder gives for <paramref name="units"/> then a flush, as MD5s.</summary>
    private static List<string> Md5sOf(H264Decoder decoder, List<byte[]> units)
    {
        decoder.Flush();
        while (decoder.TryGetPicture(out DecodedPicture stale)) decoder.Return(stale);
        var md5s = new List<string>();
        foreach (byte[] unit in units.Append([]))
        {
            if (unit.Length > 0) decoder.Decode(unit, 0);
            else decoder.Flush();
            while (decoder.TryGetPicture(out DecodedPicture picture))
            {
                byte[] i420 = new byte[picture.I420Size];
                picture.CopyI420(i420);
                md5s.Add(Convert.ToHexString(MD5.HashData(i420)).ToLowerInvariant());
                decoder.Return(picture);
            }
        }
        return md5s;
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

    /// <summary>The SPS and PPS NAL units of an access unit, with start codes.</summary>
    private static byte[] ParameterSets(byte[] unit)
    {
        var output = new List<byte>();
        foreach (ReadOnlySpan<byte> nal in new NalEnumerator(unit))
        {
            if (NalUnit.TypeOf(nal[0]) is not (NalUnitType.Sps or NalUnitType.Pps)) continue;
            output.AddRange([0, 0, 0, 1]);
            output.AddRange(nal.ToArray());
        }
        return output.ToArray();
    }
}
