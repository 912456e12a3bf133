# Sound from real kernel ALSA drivers, in one boot. Run by Fmp4Streamer.Tests/EndToEnd/Vm/AudioVmTests with
# ./fmp4streamer copied to /bin and the host's tone (/data/tone.wav: 48 kHz mono S16_LE) to /data.
# - cam: the loopback H264 camera with audio = hw:Loopback,1,2 (snd-aloop's capture side, card 0 device 1, subdevice 2),
#   fed by aplay playing the tone into the playback side of that pair (device 0 subdevice 2; what another subdevice
#   captures is silence); auto_sleep = no, so capture runs with or without clients.
# - dummy44 / dummy16: the test pattern with snd-dummy's capture device at 44100 Hz mono and 16000 Hz stereo.
# - before them, snd-dummy's mixer controls listed and set by -l, read back by -l and amixer; an unknown key refused.
# The host decodes the streams; on `unplug` the loopback card is taken away (its platform device unbound: rmmod is
# refused while the daemon holds it open) and, after 3 s, bound again; the host then decodes a new client.
. /rig/lib.sh
S=/bin/fmp4streamer
[ -x $S ] || { echo "RIG-ERROR /bin/fmp4streamer missing"; exit 2; }
ALOOP=/sys/bus/platform/drivers/snd_aloop

# tone_start / tone_stop: aplay into the loopback's playback side, restarted if it ends (the file is 30 s long).
tone_start() {
  : > /tmp/tone.on
  (while [ -e /tmp/tone.on ]; do aplay -q -D hw:Loopback,0,2 /data/tone.wav 2>>/tmp/aplay.log || sleep 0.2; done) &
  TONE_LOOP=$!
  rig_mark "tone started"
}
tone_stop() {
  rm -f /tmp/tone.on
  kill $(pidof aplay) 2>/dev/null; wait $TONE_LOOP 2>/dev/null
  rig_mark "tone stopped"
}
# captures N: how many times the daemon has logged that it (re)opened the loopback's capture device.
captures() { grep -c "ALSA hw:Loopback,1,2: capturing from" /tmp/daemon.log; }

rig_run cards cat /proc/asound/cards

# snd-dummy's mixer through the daemon's -l: amixer's view first, then -l with three keys (a volume, a switch and a
# list, each away from the driver's power-on value), then -l without keys and amixer again read back what the card
# kept; an unknown key stops -l and the start (exit 3). The section is a test pattern: no V4L2 device is involved.
mixer_conf() { printf '%s\n' '[dummy]' 'test_pattern = yes' 'audio = hw:Dummy,0' "$@" > /tmp/mixer.conf; }
_m=$(cut -d' ' -f1 /proc/uptime)
rig_run amixer-before amixer -c 1 contents
mixer_conf 'mixer_master_volume = -20' 'mixer_mic_capture_switch = on' 'mixer_external_i_o_box = None'
rig_run mixer-set $S -c /tmp/mixer.conf -l
mixer_conf
rig_run mixer-read $S -c /tmp/mixer.conf -l
rig_run amixer-after amixer -c 1 contents
mixer_conf 'mixer_master_volume = 10' 'mixer_nonexistent = 1'
rig_run mixer-unknown-list $S -c /tmp/mixer.conf -l
rig_run mixer-unknown-start timeout 30 $S -c /tmp/mixer.conf --port 8001
rig_run amixer-unknown amixer -c 1 cget name='Master Volume'
rig_value mixer_seconds "$(awk -v s=$_m '{printf "%.1f", $1 - s}' /proc/uptime)"
rig_feed_start 0 || exit 1
printf '%s\n' '[server]' 'listen =' 'port = 8000' 'rtsp_port = 0' '' \
  '[/dev/video10]' 'name = cam' 'width = 640' 'height = 480' 'fps = 30' 'auto_sleep = no' 'audio = hw:Loopback,1,2' '' \
  '[dummy44]' 'test_pattern = yes' 'width = 160' 'height = 128' 'fps = 5' 'audio = hw:Dummy,0' 'audio_rate = 44100' \
  'audio_channels = 1' '' \
  '[dummy16]' 'test_pattern = yes' 'width = 160' 'height = 128' 'fps = 5' 'audio = hw:CARD=Dummy,DEV=0' \
  'audio_rate = 16000' 'audio_channels = 2' > /tmp/audio.conf
$S -c /tmp/audio.conf > /tmp/daemon.log 2>&1 &
D=$!
rig_wait_listen 8000 90 || { rig_dump daemon-log /tmp/daemon.log; exit 1; }
_t=100; until [ "$(captures)" -ge 1 ] || [ $_t -le 0 ]; do _t=$((_t - 1)); sleep 0.2; done
tone_start
# The kernel's view: the daemon holds subdevice 2 of the capture device, subdevice 0 (any open's first pick) is free.
rig_run sub2-status cat /proc/asound/card0/pcm1c/sub2/status
rig_run sub0-status cat /proc/asound/card0/pcm1c/sub0/status
rig_mark ready-for-clients

if rig_wait unplug 150; then
  tone_stop
  rig_value captures_before "$(captures)"
  # snd_card_free waits for every open file of the card to be closed: the unbind returns once the daemon let go.
  _s=$(cut -d' ' -f1 /proc/uptime)
  (echo snd_aloop.0 > $ALOOP/unbind; echo $? > /tmp/unbind.rc) &
  _t=150; until [ -e /tmp/unbind.rc ] || [ $_t -le 0 ]; do _t=$((_t - 1)); sleep 0.1; done
  rig_value unbind_rc "$(cat /tmp/unbind.rc 2>/dev/null || echo pending)"
  rig_value unbind_seconds "$(awk -v s=$_s '{printf "%.1f", $1 - s}' /proc/uptime)"
  rig_value card_gone "$(grep -q Loopback /proc/asound/cards && echo no || echo yes)"
  rig_value snd_fds_while_gone "$(ls -l /proc/$D/fd 2>/dev/null | grep -c /dev/snd/pcmC0)"
  rig_value alive_while_gone "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
  sleep 3
  echo snd_aloop.0 > $ALOOP/bind; rig_value bind_rc $?
  rig_run cards-after cat /proc/asound/cards
  # The daemon's back-off (1, 2, 4 s ...) decides when it finds the card again.
  _t=150; until [ "$(captures)" -ge 2 ] || [ $_t -le 0 ]; do _t=$((_t - 1)); sleep 0.1; done
  rig_value captures_after "$(captures)"
  tone_start
  rig_mark replugged
  rig_wait done 120
  tone_stop
fi
rig_value alive_at_end "$(kill -0 $D 2>/dev/null && echo yes || echo no)"
kill $D 2>/dev/null; wait $D; rig_value daemon_exit $?
rig_dump daemon-log /tmp/daemon.log
rig_dump aplay-log /tmp/aplay.log
rig_feed_stop
