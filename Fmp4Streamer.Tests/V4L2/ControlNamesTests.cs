using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.Tests.V4L2;

public class ControlNamesTests
{
    [TestCase("White Balance Temperature, Auto", "white_balance_temperature_auto")]
    [TestCase("H264 I-Frame Period", "h264_i_frame_period")]
    [TestCase("Exposure, Auto Priority", "exposure_auto_priority")]
    [TestCase("Pan (Absolute)", "pan_absolute")]
    [TestCase("Gain - Analog", "gain__analog")]
    [TestCase("A & B", "a_b")]
    [TestCase("Rate.Control", "ratecontrol")]
    [TestCase("Brightness", "brightness")]
    public void NormalisesAsTheReference(string driverName, string key) =>
        Assert.That(ControlNames.Normalise(driverName), Is.EqualTo(key));

    [TestCase("50 Hz", "'50 Hz'")]
    [TestCase("Night's Mode", "\"Night's Mode\"")]
    [TestCase("It's \"x\"", "'It\\'s \"x\"'")]
    [TestCase("Caf\u00e9", "'Caf\\xe9'")]
    [TestCase("\u65e5", "'\\u65e5'")]
    [TestCase("a\\b\tc", "'a\\\\b\\tc'")]
    public void QuotesMenuItemsLikePythonAscii(string text, string expected) =>
        Assert.That(PythonRepr.Ascii(text), Is.EqualTo(expected));
}
