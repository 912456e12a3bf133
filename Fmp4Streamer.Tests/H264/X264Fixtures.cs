using System.Globalization;
using Fmp4Streamer.H264;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.H264;

/// <summary>x264 streams with the presentation times ffmpeg gave them, for picture order tests.</summary>
internal static class X264Fixtures
{
    /// <summary>A stream's access units in decoding order, with each one's presentation time in frames.</summary>
    public sealed record TimedStream(byte[] AnnexB, List<byte[]> AccessUnits, List<long> PresentationFrames);

    /// <summary>
    /// Encodes <paramref name="frames"/> frames into MP4 (where ffmpeg keeps x264's timestamps), then takes the
    /// Annex B stream back out of it and the presentation times from ffprobe, in the same (decoding) order.
    /// </summary>
    public static TimedStream Encode(string name, int frames, string profile, string x264Params)
    {
        string mp4 = FfmpegFixtures.Encode(name + ".mp4", "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
            "-r", "30", "-c:v", "libx264", "-profile:v", profile, "-x264-params", x264Params, "-video_track_timescale", "30",
            "-f", "mp4");
        string h264 = Path.Combine(FfmpegFixtures.CacheDirectory, name + ".h264");
        if (!File.Exists(h264))
        {
            string temp = h264 + "." + Guid.NewGuid().ToString("N") + ".tmp";
            ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-i", mp4, "-c:v", "copy", "-bsf:v", "h264_mp4toannexb", "-f", "h264", temp]);
            File.Move(temp, h264, overwrite: true);
        }
        string packets = ToolRun.Output("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts",
            "-of", "csv=p=0", mp4]);
        var pts = packets.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToList();
        byte[] stream = File.ReadAllBytes(h264);
        var units = Split(stream);
        Assert.That(units, Has.Count.EqualTo(pts.Count), "one packet per access unit");
        return new TimedStream(stream, units, pts);
    }

    public static List<byte[]> Split(byte[] stream)
    {
        var splitter = new AccessUnitSplitter();
        splitter.Append(stream);
        var units = new List<byte[]>();
        while (splitter.TryTakeAccessUnit(out var unit)) units.Add(unit.ToArray());
        var last = splitter.Flush();
        if (!last.IsEmpty) units.Add(last.ToArray());
        return units;
    }
}
