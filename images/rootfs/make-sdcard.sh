#!/bin/bash
# The SD-card image of a root filesystem made by make-rootfs.sh:
#   images/rootfs/make-sdcard.sh ROOTFS_DIR OUT.img [SIZE, default 4G]
# Two partitions (MBR, as the Pi's boot ROM wants): CBBOOT FAT32 256 MiB (/boot/firmware: the Pi
# firmware, kernel, initrd, config.txt, cmdline.txt) and CBROOT ext4 (the rest). Write it with
#   zstd -d < OUT.img.zst | dd of=/dev/sdX bs=4M conv=fsync   (or Raspberry Pi Imager).
# Needs root (loop devices), parted, dosfstools, e2fsprogs. Never part of the tests.
set -euo pipefail
ROOTFS=${1:?usage: make-sdcard.sh ROOTFS_DIR OUT.img [SIZE]}
OUT=${2:?usage: make-sdcard.sh ROOTFS_DIR OUT.img [SIZE]}
SIZE=${3:-4G}
[ "$(id -u)" = 0 ] || { echo "make-sdcard.sh: run as root (loop devices)" >&2; exit 1; }
rm -f "$OUT"
truncate -s "$SIZE" "$OUT"
parted -s "$OUT" mklabel msdos mkpart primary fat32 4MiB 260MiB mkpart primary ext4 260MiB 100% set 1 boot on
LOOP=$(losetup --find --show --partscan "$OUT")
MNT=$(mktemp -d)
cleanup() { umount -R "$MNT" 2>/dev/null || true; losetup -d "$LOOP" 2>/dev/null || true; rmdir "$MNT" 2>/dev/null || true; }
trap cleanup EXIT
mkfs.vfat -F 32 -n CBBOOT "${LOOP}p1"
mkfs.ext4 -q -L CBROOT "${LOOP}p2"
mount "${LOOP}p2" "$MNT"
mkdir -p "$MNT/boot/firmware"
mount "${LOOP}p1" "$MNT/boot/firmware"
# the root filesystem, then the boot files onto the FAT partition
tar -C "$ROOTFS" --exclude=./boot/firmware -cf - . | tar -C "$MNT" -xpf -
[ -d "$ROOTFS/boot/firmware" ] && cp -r "$ROOTFS/boot/firmware/." "$MNT/boot/firmware/"
echo "console=serial0,115200 console=tty1 root=LABEL=CBROOT rootfstype=ext4 fsck.repair=yes rootwait" >"$MNT/boot/firmware/cmdline.txt"
sync
cleanup
trap - EXIT
zstd -q -19 -T0 -f "$OUT" -o "$OUT.zst"
echo "SD-card image: $OUT ($OUT.zst compressed)"
