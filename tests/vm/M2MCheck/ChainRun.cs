using System.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.M2M;

namespace Fmp4Streamer.M2MCheck;

/// <summary>
/// One chain on one event loop, wired as the daemon wires its camera chains: camera BufferQueue → encoder M2MStage
/// [→ decoder M2MStage], each link copying once (MMAP) or importing the upstream's exported buffer (DMABUF).
/// The taps between the stages only count and keep copies for the checks; the stages move the frames.
/// </summary>
public sealed class ChainRun(CheckOptions options) : IM2MStageOwner
{
    private const int WarmupFrames = 10;
    private readonly ChainResult _result = new();
    private M2MStage? _encoder;

    public ChainResult Run()
    {
        var o = options;
        _result.Mode = (o.ImportIntoEncoder ? "import" : "copy") + (o.Decoder is null ? "" : o.ImportIntoDecoder ? ",import" : ",copy");
        var io = LibcIo.Instance;
        var clock = Stopwatch.StartNew();
        M2MStage? encoder = null, decoder = null;
        try
        {
            using var loop = new EventLoop();
            using var camera = VideoDevice.Open(io, o.Camera);
            uint captureType = camera.RequireCapture();
            var cameraFormat = camera.RequestFormat(captureType, o.Width, o.Height, FourCc.Parse(o.PixelFormat));
            camera.SetFrameRate(captureType, 30, _result.Warnings);
            _result.CameraFormat = cameraFormat.ToString();
            using var cameraQueue = new BufferQueue(camera, captureType, 6);

            encoder = new M2MStage(io, new M2MStageOptions(o.Encoder, M2MRole.Encoder, o.PixelFormat, o.EncodedFormat, o.ImportIntoEncoder, []), this);
            encoder.Open(cameraFormat, _result.Warnings);
            _encoder = encoder;
            _result.EncoderMultiPlanar = encoder.IsMultiPlanar;
            _result.EncodedFormat = encoder.CaptureFormat.ToString();

            FrameLedger? ledger = null;
            IFrameReceiver? decoderInput = null;
            if (o.Decoder is not null)
            {
                decoder = new M2MStage(io, new M2MStageOptions(o.Decoder, M2MRole.Decoder, o.EncodedFormat, o.PixelFormat, o.ImportIntoDecoder, []), this);
                decoder.Open(encoder.CaptureFormat, _result.Warnings);
                _result.DecoderMultiPlanar = decoder.IsMultiPlanar;
                _result.DecodedFormat = decoder.CaptureFormat.ToString();
                ledger = new FrameLedger((int)cameraFormat.SizeImage);
                decoder.Start(encoder.CaptureQueue!, new DecodedCheck(ledger, _result, (int)cameraFormat.SizeImage, o.DumpPrefix));
                decoderInput = decoder;
            }
            encoder.Start(cameraQueue, new EncodedTap(_result, decoderInput));
            loop.Add(encoder.Fd, M2MStage.PollEvents, encoder);
            if (decoder is not null) loop.Add(decoder.Fd, M2MStage.PollEvents, decoder);
            loop.Add(camera.Fd, Tmds.Linux.LibC.EPOLLIN, new CapturePump(cameraQueue, new CaptureTap(ledger, _result, encoder, WarmupFrames), Fail));
            cameraQueue.Start();

            long cpuStart = 0, framesAtStart = 0;
            var deadline = TimeSpan.FromSeconds(o.TimeoutSeconds);
            while (_result.Failure is null && clock.Elapsed < deadline)
            {
                long done = decoder is null ? _result.Encoded : _result.Decoded;
                if (done >= o.Frames + WarmupFrames) break;
                // CPU per frame from the steady state only: the first frames pay for mappings and attachments.
                if (cpuStart == 0 && _result.Captured >= WarmupFrames)
                {
                    cpuStart = ProcessCpuClock.NowUs;
                    framesAtStart = _result.Captured;
                }
                loop.RunOnce(100);
            }
            if (cpuStart != 0 && _result.Captured > framesAtStart)
                _result.CpuUsPerFrame = (ProcessCpuClock.NowUs - cpuStart) / (_result.Captured - framesAtStart);
            if (_result.Failure is null && clock.Elapsed >= deadline) _result.Failure = $"timeout after {o.TimeoutSeconds} s";

            _result.EncoderDroppedInputs = encoder.DroppedInputs;
            _result.DecoderDroppedInputs = decoder?.DroppedInputs ?? 0;
            _result.SourceChanges = decoder?.SourceChanges ?? 0;
            // The daemon's order: encoder first (it may hold the decoder's buffers), then decoder, then the camera.
            loop.Remove(encoder.Fd);
            if (decoder is not null) loop.Remove(decoder.Fd);
            encoder.Stop();
            decoder?.Stop();
            cameraQueue.Stop();
        }
        catch (Exception e) when (e is V4l2Exception or LinuxException)
        {
            _result.Failure ??= e.Message;
            encoder?.Stop();
            decoder?.Stop();
        }
        _result.Seconds = clock.Elapsed.TotalSeconds;
        return _result;
    }

    public void OnStageFailed(string reason) => Fail(reason);

    // The decoder lost an encoded frame: its upstream is the encoder.
    public void OnStageNeedsKeyFrame()
    {
        _result.KeyFrameRequests++;
        _encoder?.RequestKeyFrame(_result.Warnings);
    }

    private void Fail(string reason) => _result.Failure ??= reason;
}
