#!/usr/bin/env bash
# AAC encoder benchmark: the daemon's encoder (through tests/bench/AacEncode, raw S16LE in, ADTS out) against
# ffmpeg's native `aac` encoder at the same bitrate, on pure tones, a sweep, band noise, clicks and speech
# (espeak-ng if installed, else a synthesized vowel train), mono and stereo. Both are decoded by ffmpeg; prints
# SNR and segmental SNR side by side (higher is better), the bitrates reached, and the encode speed.
# usage: tests/bench/aac.sh [SECONDS, default 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
work=.work/bench/aac; mkdir -p "$work"
enc=${AAC_ENCODE:-artifacts/aacencode/AacEncode}   # AAC_ENCODE=path skips the build (for tuning runs)
[ -n "${AAC_ENCODE:-}" ] || dotnet build tests/bench/AacEncode -c Release -o artifacts/aacencode -nologo -v quiet >/dev/null
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }

# make NAME RATE CHANNELS FFMPEG-INPUT-ARGS...: the source as raw S16LE
make_src() {
  local name=$1 rate=$2 ch=$3; shift 3
  ff "$@" -t "$seconds" -ar "$rate" -ac "$ch" -f s16le "$work/$name.s16"
}
lavfi() { echo -f lavfi -i "$1"; }
make_src tone440 48000 1 $(lavfi "sine=frequency=440:sample_rate=48000:duration=$seconds") -af volume=0.5
make_src tone1000 48000 1 $(lavfi "sine=frequency=1000:sample_rate=48000:duration=$seconds") -af volume=0.5
make_src tone5000 48000 1 $(lavfi "sine=frequency=5000:sample_rate=48000:duration=$seconds") -af volume=0.5
make_src sweep 48000 1 -f lavfi -i "aevalsrc=0.5*sin(2*PI*(50*t+(15000-50)/(2*$seconds)*t*t)):s=48000:d=$seconds"
make_src bandnoise 48000 1 -f lavfi -i "anoisesrc=color=white:amplitude=0.5:sample_rate=48000:duration=$seconds:seed=1" \
  -af "highpass=f=300,highpass=f=300,lowpass=f=3000,lowpass=f=3000"
make_src clicks 48000 1 -f lavfi -i "aevalsrc=0.02*sin(2*PI*220*t)+if(lt(mod(t\,0.25)\,0.003)\,0.7*sin(2*PI*2500*t)\,0):s=48000:d=$seconds"
if command -v espeak-ng >/dev/null; then
  espeak-ng -w "$work/speech.wav" "The quick brown fox jumps over the lazy dog. A baby monitor, a doorbell and a bird box \
all want sound. Pack my box with five dozen liquor jugs. How vexingly quick daft zebras jump." 2>/dev/null
  speech=(-stream_loop -1 -i "$work/speech.wav"); speech_kind=espeak-ng
else
  # A vowel train: a 120-180 Hz glottal pulse through two formants, in 200 ms syllables.
  speech=(-f lavfi -i "aevalsrc=0.3*sin(2*PI*(150+30*sin(2*PI*0.7*t))*t)*(0.6*sin(2*PI*700*t)+0.4*sin(2*PI*1200*t))*pow(sin(PI*mod(t\,0.2)/0.2)\,2):s=48000:d=$seconds")
  speech_kind=synthesized
fi
make_src speech 48000 1 "${speech[@]}"
make_src speech16k 16000 1 "${speech[@]}"
make_src stereo 48000 2 "${speech[@]}" -f lavfi -i "anoisesrc=color=pink:amplitude=0.05:sample_rate=48000:seed=2" \
  -filter_complex "[0:a]aresample=48000,asplit[a][b];[b]adelay=3,volume=0.7[c];[1:a]asplit[n1][n2];[a][n1]amix=inputs=2:normalize=0[l];[c][n2]amix=inputs=2:normalize=0[r];[l][r]join=inputs=2:channel_layout=stereo"

printf '| signal | kbit/s | ours SNR / segSNR (dB) | ffmpeg aac SNR / segSNR (dB) | ours / ffmpeg kbit/s reached |\n|---|---:|---:|---:|---:|\n'
ours_cpu=0; ff_cpu=0; audio_seconds=0
TIMEFORMAT=%U
for spec in tone440:48000:1:64000 tone1000:48000:1:64000 tone5000:48000:1:64000 sweep:48000:1:64000 \
            bandnoise:48000:1:64000 clicks:48000:1:64000 speech:48000:1:64000 speech:48000:1:32000 \
            speech16k:16000:1:32000 stereo:48000:2:96000; do
  IFS=: read -r name rate ch br <<< "$spec"
  src="$work/$name.s16"
  t=$( { time "$enc" "$rate" "$ch" "$br" < "$src" > "$work/ours.aac" 2>/dev/null; } 2>&1 )
  ours_cpu=$(echo "$ours_cpu + $t" | bc)
  t=$( { time ff -f s16le -ar "$rate" -ac "$ch" -i "$src" -c:a aac -b:a "$br" -f adts "$work/ffmpeg.aac"; } 2>&1 )
  ff_cpu=$(echo "$ff_cpu + $t" | bc)
  audio_seconds=$((audio_seconds + seconds))
  for who in ours ffmpeg; do ff -i "$work/$who.aac" -ac "$ch" -f s16le "$work/$who.dec.s16"; done
  read -r o_snr o_seg _ < <(tests/bench/aacsnr.py "$src" "$work/ours.dec.s16" "$ch" "$rate")
  read -r f_snr f_seg _ < <(tests/bench/aacsnr.py "$src" "$work/ffmpeg.dec.s16" "$ch" "$rate")
  o_kb=$(( $(stat -c %s "$work/ours.aac") * 8 / seconds / 1000 )); f_kb=$(( $(stat -c %s "$work/ffmpeg.aac") * 8 / seconds / 1000 ))
  label=$name; [ "$name" = speech ] || [ "$name" = speech16k ] && label="$name ($speech_kind)"
  printf '| %s, %s Hz, %s ch | %s | %s / %s | %s / %s | %s / %s |\n' "$label" "$rate" "$ch" $((br / 1000)) \
    "$o_snr" "$o_seg" "$f_snr" "$f_seg" "$o_kb" "$f_kb"
done
speed=$("$enc" 48000 2 96000 < "$work/stereo.s16" 2>&1 >/dev/null)
echo
echo "CPU time for all $audio_seconds s of audio (whole process, ADTS included): ours ${ours_cpu} s, ffmpeg ${ff_cpu} s"
echo "ours, encoder only, 48 kHz stereo 96 kbit/s: $speed"
