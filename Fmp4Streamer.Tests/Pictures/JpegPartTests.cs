using System.Text;
using Fmp4Streamer.Http;
using Fmp4Streamer.Pictures;

namespace Fmp4Streamer.Tests.Pictures;

public class JpegPartTests
{
    [TestCase(1)]
    [TestCase(9)]
    [TestCase(10)]
    [TestCase(12345)]
    [TestCase(1234567)]
    public void The_part_head_ends_where_the_jpeg_starts(int length)
    {
        var buffer = new byte[JpegPart.BufferSize(length)];
        buffer.AsSpan(JpegPart.JpegOffset, length).Fill(0xAB);
        int start = JpegPart.Complete(buffer, length);
        string head = Encoding.ASCII.GetString(buffer, start, JpegPart.JpegOffset - start);
        Assert.That(head, Is.EqualTo($"--boundarydonotcross\r\nContent-Type: image/jpeg\r\nContent-Length: {length}\r\n\r\n"));
        Assert.That(Encoding.ASCII.GetString(buffer, JpegPart.JpegOffset + length, 2), Is.EqualTo("\r\n"));
    }

    [TestCase("action=snapshot", "Snapshot")]
    [TestCase("action=stream", "Stream")]
    [TestCase("t=1&action=snapshot&n=2", "Snapshot")]
    [TestCase("action=streams", "None")]
    [TestCase("xaction=stream", "None")]
    [TestCase("", "None")]
    [TestCase("action=", "None")]
    public void The_action_query_of_mjpg_streamer_urls(string query, string expected) =>
        Assert.That(ActionQuery.Parse(Encoding.ASCII.GetBytes(query)).ToString(), Is.EqualTo(expected));
}
