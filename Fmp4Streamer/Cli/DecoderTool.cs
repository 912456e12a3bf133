using Fmp4Streamer.H264;
using Fmp4Streamer.Linux;
using Fmp4Streamer.H264.Decoding;

namespace Fmp4Streamer.Cli;

/// <summary>
/// Two hidden command-line modes for the benchmark and the arm64 test: time the in-binary decoder over an Annex B
/// file, or write its decoded frames as raw yuv420p (the layout of ffmpeg's <c>-f rawvideo -pix_fmt yuv420p</c>).
/// </summary>
public static class DecoderTool
{
    /// <summary>
    /// Decodes the whole file <paramref name="passes"/> times with one decoder and prints the best pass as CPU time per
    /// frame (the thread's CPU time), the average time of its key frames (access units holding an IDR), and the first key frame of the
    /// first pass apart (pictures and grids allocated then, memory touched for the first time).
    /// </summary>
    public static int Bench(string path, int passes, TextWriter output, TextWriter error)
    {
        List<byte[]>? units = ReadUnits(path, error);
        if (units == null) return ExitCodes.Usage;
        var idr = units.ConvertAll(HoldsIdr);
        double best = double.MaxValue, bestKey = double.MaxValue, coldFirst = 0;
        int frames = 0, keyFrames = 0;
        var decoder = new H264Decoder();
        for (int pass = 0; pass < Math.Max(1, passes); pass++)
        {
            frames = keyFrames = 0;
            double keyMs = 0;
            long passStart = ThreadCpuClock.NowNs;
            for (int i = 0; i < units.Count; i++)
            {
                long unitStart = ThreadCpuClock.NowNs;
                decoder.Decode(units[i], i);
                double ms = (ThreadCpuClock.NowNs - unitStart) / 1e6;
                if (idr[i])
                {
                    keyMs += ms;
                    keyFrames++;
                }
                if (pass == 0 && i == 0) coldFirst = ms;
                frames += Drain(decoder);
            }
            decoder.Flush();
            frames += Drain(decoder);
            best = Math.Min(best, (ThreadCpuClock.NowNs - passStart) / 1e6);
            if (keyFrames > 0) bestKey = Math.Min(bestKey, keyMs / keyFrames);
        }
        if (decoder.Refusal != null) error.WriteLine(decoder.Refusal);
        if (frames == 0)
        {
            error.WriteLine($"{CommandLine.ProgramName}: no picture decoded from {path}");
            return ExitCodes.Usage;
        }
        output.WriteLine($"frames {frames} errors {decoder.Errors} cpu_ms {best:0.0} ms_per_frame {best / frames:0.00} " +
            $"fps {frames * 1000 / best:0.0} key_frames {keyFrames} key_ms {(keyFrames > 0 ? bestKey : 0):0.00} cold_first_ms {coldFirst:0.00}");
        return ExitCodes.Ok;
    }

    private static bool HoldsIdr(byte[] unit)
    {
        foreach (ReadOnlySpan<byte> nal in new NalEnumerator(unit))
        {
            if (!nal.IsEmpty && NalUnit.TypeOf(nal[0]) == NalUnitType.Idr) return true;
        }
        return false;
    }

    /// <summary>Writes every decoded frame, cropped, as planar yuv420p to <paramref name="output"/>.</summary>
    public static int WriteYuv(string path, Stream output, TextWriter error)
    {
        List<byte[]>? units = ReadUnits(path, error);
        if (units == null) return ExitCodes.Usage;
        var decoder = new H264Decoder();
        byte[] frame = [];
        void Write()
        {
            while (decoder.TryGetPicture(out DecodedPicture picture))
            {
                if (frame.Length != picture.I420Size) frame = new byte[picture.I420Size];
                picture.CopyI420(frame);
                output.Write(frame);
                decoder.Return(picture);
            }
        }
        for (int i = 0; i < units.Count; i++)
        {
            decoder.Decode(units[i], i);
            Write();
        }
        decoder.Flush();
        Write();
        output.Flush();
        if (decoder.Errors > 0 || decoder.Refusal != null)
        {
            error.WriteLine($"{CommandLine.ProgramName}: {decoder.Errors} pictures dropped {decoder.Refusal}");
        }
        return ExitCodes.Ok;
    }

    private static int Drain(H264Decoder decoder)
    {
        int count = 0;
        while (decoder.TryGetPicture(out DecodedPicture picture))
        {
            decoder.Return(picture);
            count++;
        }
        return count;
    }

    private static List<byte[]>? ReadUnits(string path, TextWriter error)
    {
        byte[] stream;
        try
        {
            stream = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{CommandLine.ProgramName}: {path}: {e.Message}");
            return null;
        }
        var units = new List<byte[]>();
        var splitter = new AccessUnitSplitter(maxBufferedBytes: Math.Max(16, stream.Length + 16));
        splitter.Append(stream);
        while (splitter.TryTakeAccessUnit(out ReadOnlySpan<byte> unit)) units.Add(unit.ToArray());
        ReadOnlySpan<byte> last = splitter.Flush();
        if (!last.IsEmpty) units.Add(last.ToArray());
        return units;
    }
}
