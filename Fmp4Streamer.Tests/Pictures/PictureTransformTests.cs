using Fmp4Streamer.Jpeg;
using Fmp4Streamer.Pictures;

namespace Fmp4Streamer.Tests.Pictures;

public class PictureTransformTests
{
    [TestCase(90)]
    [TestCase(180)]
    [TestCase(270)]
    public void Rotation_turns_the_pixels_clockwise(int rotation)
    {
        const int w = 32, h = 16;
        var y = new byte[w * h];
        var u = new byte[w / 2 * h / 2];
        var v = new byte[w / 2 * h / 2];
        for (int i = 0; i < y.Length; i++) y[i] = (byte)(i % 251);
        var source = PictureView.I420(w, h, y, w, u, v, w / 2);
        var turned = new PictureTransform().Apply(source, rotation, 0);
        Assert.That((turned.Width, turned.Height), Is.EqualTo(rotation == 180 ? (w, h) : (h, w)));
        for (int oy = 0; oy < turned.Height; oy++)
        {
            for (int ox = 0; ox < turned.Width; ox++)
            {
                var (sx, sy) = rotation switch
                {
                    90 => (oy, h - 1 - ox),
                    180 => (w - 1 - ox, h - 1 - oy),
                    _ => (w - 1 - oy, ox),
                };
                Assert.That(turned.Luma[oy * turned.LumaStride + ox], Is.EqualTo(y[sy * w + sx]), $"({ox},{oy})");
            }
        }
    }

    [Test]
    public void A_smaller_width_scales_down_with_the_aspect_kept()
    {
        var y = new byte[640 * 480];
        y.AsSpan().Fill(200);
        var c = new byte[320 * 240];
        var picture = new PictureTransform().Apply(PictureView.I420(640, 480, y, 640, c, c, 320), 0, 320);
        Assert.That((picture.Width, picture.Height), Is.EqualTo((320, 240)));
        Assert.That(picture.Luma[100 * picture.LumaStride + 100], Is.EqualTo(200));
        Assert.That(PictureTransform.OutputSize(1920, 1080, 90, 640), Is.EqualTo((640, 1138)));
    }
}
