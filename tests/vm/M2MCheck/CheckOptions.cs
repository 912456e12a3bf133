using System.Globalization;

namespace Fmp4Streamer.M2MCheck;

/// <summary>Command line of one run: the three device nodes, the picture, how each link moves frames, how long.</summary>
public sealed record CheckOptions(
    string Camera,
    string Encoder,
    string? Decoder,
    int Width,
    int Height,
    string PixelFormat,
    bool ImportIntoEncoder,
    bool ImportIntoDecoder,
    int Frames,
    int TimeoutSeconds,
    string? DumpPrefix)
{
    public const string Usage =
        "usage: m2mcheck --camera DEV --encoder DEV [--decoder DEV] [--size WxH] [--format YUYV]\n" +
        "                [--links copy|import,copy|import] [--frames N] [--timeout S] [--dump PREFIX]\n" +
        "  --links: camera->encoder and encoder->decoder: copy = MMAP on both sides (one copy), import = DMABUF\n" +
        "  --dump:  writes PREFIX-captured.raw and PREFIX-decoded.raw of one matched frame pair\n" +
        "  without --decoder only the camera->encoder hop runs (CPU per frame is what the benchmark reads)";

    public static CheckOptions Parse(string[] args)
    {
        string? camera = null, encoder = null, decoder = null, dump = null;
        int width = 640, height = 480, frames = 60, timeout = 30;
        string format = "YUYV";
        bool import1 = false, import2 = false;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--camera": camera = value; break;
                case "--encoder": encoder = value; break;
                case "--decoder": decoder = value; break;
                case "--format": format = value; break;
                case "--dump": dump = value; break;
                case "--frames": frames = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--timeout": timeout = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--size":
                    string[] wh = value.Split('x');
                    width = int.Parse(wh[0], CultureInfo.InvariantCulture);
                    height = int.Parse(wh[1], CultureInfo.InvariantCulture);
                    break;
                case "--links":
                    string[] links = value.Split(',');
                    import1 = LinkImports(links[0]);
                    import2 = links.Length > 1 && LinkImports(links[1]);
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
            i++;
        }
        if (camera is null || encoder is null) throw new ArgumentException("--camera and --encoder are required");
        return new CheckOptions(camera, encoder, decoder, width, height, format, import1, import2, frames, timeout, dump);
    }

    private static bool LinkImports(string link) => link switch
    {
        "copy" => false,
        "import" => true,
        _ => throw new ArgumentException($"link '{link}' is neither copy nor import"),
    };
}
