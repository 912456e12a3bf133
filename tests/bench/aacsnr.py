#!/usr/bin/python3
# SNR of a decoded stream against its source, both raw S16LE with CHANNELS interleaved: the decoder's delay is
# found by cross-correlation (0 to 4096 samples) over the whole source, so a tone's period cannot alias it (a wrong
# lag loses the onset or the end), then the whole-file SNR and the segmental SNR (mean over 20 ms
# segments of the source's louder half, each clipped to [-10, 60] dB) are printed.
# usage: aacsnr.py SOURCE.s16 DECODED.s16 CHANNELS RATE
import sys
import numpy as np

src = np.fromfile(sys.argv[1], dtype='<i2').astype(np.float64)
dec = np.fromfile(sys.argv[2], dtype='<i2').astype(np.float64)
ch, rate = int(sys.argv[3]), int(sys.argv[4])
src = src.reshape(-1, ch)
dec = dec.reshape(-1, ch)
probe = src[:, 0]
n = 1 << int(np.ceil(np.log2(2 * len(probe) + 8192)))
corr = np.fft.irfft(np.conj(np.fft.rfft(probe, n)) * np.fft.rfft(dec[:, 0][: len(probe) + 4096], n), n)
lag = int(np.argmax(corr[:4097]))
length = min(len(src), len(dec) - lag)
a, b = src[:length], dec[lag:lag + length]
err = a - b
snr = 10 * np.log10((a ** 2).sum() / max((err ** 2).sum(), 1e-9))
seg = rate // 50
segs = length // seg
sp = (a[: segs * seg] ** 2).reshape(segs, -1).sum(axis=1)
ep = (err[: segs * seg] ** 2).reshape(segs, -1).sum(axis=1)
loud = sp >= np.median(sp)
segsnr = np.clip(10 * np.log10(sp[loud] / np.maximum(ep[loud], 1e-9)), -10, 60).mean()
print(f"{snr:.1f} {segsnr:.1f} {lag}")
