# Sourced by setup.sh and setup-uvc.sh (from the rig's work dir, with log() defined).
# kernel_source_files KVER DEST PATH...: copies the files under each PATH (relative to the kernel tree, e.g.
# drivers/media/test-drivers/vicodec) from Debian's linux-source-6.1 package of the same version as the rig's
# kernel image (modules built from it load into that kernel) flat into DEST. Only those files are unpacked.
kernel_source_files() {
  local kver=$1 dest=$2; shift 2
  local imgver; imgver=$(dpkg-deb -f downloads/linux-image-"$kver"_*.deb Version)
  if ! ls downloads/linux-source-6.1_"$imgver"_all.deb >/dev/null 2>&1; then
    log "downloading linux-source-6.1=$imgver (a few driver sources are kept)"
    (cd downloads && apt-get download "linux-source-6.1=$imgver" >/dev/null 2>&1) \
      || { log "apt-get download linux-source-6.1=$imgver failed"; return 1; }
  fi
  local tmp; tmp=$(mktemp -d "$PWD/ksrc.XXXXXX")
  local p members=()
  for p in "$@"; do members+=("linux-source-6.1/$p"); done
  dpkg-deb --fsys-tarfile downloads/linux-source-6.1_"$imgver"_all.deb | tar -x -C "$tmp" ./usr/src/linux-source-6.1.tar.xz
  tar -xJf "$tmp/usr/src/linux-source-6.1.tar.xz" -C "$tmp" "${members[@]}" || { rm -rf "$tmp"; return 1; }
  find "${members[@]/#/$tmp/}" -type f -exec cp {} "$dest"/ \;
  rm -rf "$tmp"
}
