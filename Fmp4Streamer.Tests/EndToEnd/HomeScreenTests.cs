using System.Buffers.Binary;
using System.Text.Json;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>"Add to Home Screen": the built binary's manifest, its icons at their stated sizes, and the page's metas.</summary>
[Category("EndToEnd")]
public class HomeScreenTests
{
    [Test]
    public void ManifestIconsAreServedAtTheirSizes()
    {
        using var daemon = DaemonProcess.Start(null, "--test-pattern");
        using var http = new HttpClient { BaseAddress = new Uri(daemon.BaseUrl + "/") };
        using var manifest = JsonDocument.Parse(http.GetStringAsync("manifest.json").Result);
        var root = manifest.RootElement;
        Assert.That(root.GetProperty("display").GetString(), Is.EqualTo("standalone"));
        Assert.That(root.GetProperty("theme_color").GetString(), Is.EqualTo("#303030"));
        var sizes = new List<string>();
        foreach (var icon in root.GetProperty("icons").EnumerateArray())
        {
            var response = http.GetAsync(icon.GetProperty("src").GetString()).Result;
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
            byte[] png = response.Content.ReadAsByteArrayAsync().Result;
            Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
            // IHDR comes first: width and height at bytes 16 and 20.
            string size = $"{BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16))}x{BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20))}";
            Assert.That(size, Is.EqualTo(icon.GetProperty("sizes").GetString()));
            sizes.Add(size);
        }
        Assert.That(sizes, Is.SupersetOf(new[] { "128x128", "192x192", "512x512" }));

        string page = http.GetStringAsync("").Result;
        Assert.That(page, Does.Contain("<meta name=\"apple-mobile-web-app-capable\" content=\"yes\">"));
        Assert.That(page, Does.Contain("<link rel=\"apple-touch-icon\" href=\"apple-touch-icon.png\">"));
        Assert.That(page, Does.Contain("<meta name=\"viewport\""));
        Assert.That(page, Does.Contain("<link rel=\"manifest\" href=\"manifest.json\" crossorigin=\"use-credentials\">"));
    }
}
