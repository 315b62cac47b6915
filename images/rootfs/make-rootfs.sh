#!/bin/bash
# make rootfs: Debian bookworm arm64 root filesystem with the callbox release installed.
#   images/rootfs/make-rootfs.sh ROOTFS_DIR RELEASE_DIR [SDCARD.img]
# Run as root on a Debian host with debootstrap and qemu-user-static (binfmt for the second stage),
# with a Debian mirror reachable (MIRROR=…, default deb.debian.org; a local apt-cacher works). Never
# part of the tests. RELEASE_DIR is dist/release-<version> from `make image`.
set -euo pipefail
ROOTFS=${1:?usage: make-rootfs.sh ROOTFS_DIR RELEASE_DIR [SDCARD.img]}
RELEASE=${2:?usage: make-rootfs.sh ROOTFS_DIR RELEASE_DIR [SDCARD.img]}
SDCARD=${3:-}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SUITE=${SUITE:-bookworm}
HERE=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "make-rootfs.sh: run as root (debootstrap, chroot, device nodes)" >&2; exit 1; }
for t in debootstrap qemu-aarch64-static; do command -v $t >/dev/null || { echo "missing $t: apt-get install debootstrap qemu-user-static binfmt-support" >&2; exit 1; }; done
[ -x "$RELEASE/callbox" ] || { echo "no $RELEASE/callbox: run make image first" >&2; exit 1; }
VERSION=$("$HERE/../dist/callbox-linux-x64" version 2>/dev/null || basename "$RELEASE" | sed 's/^release-//')

# 1. Debian arm64: the box's runtime tools (audio, network, serial, time), a kernel and the Pi firmware.
PKGS=systemd,systemd-sysv,udev,dbus,kmod,network-manager,openssh-server,ca-certificates,openssl,tzdata,chrony,logrotate,sox,espeak-ng,multimon-ng,alsa-utils,linux-image-arm64,raspi-firmware,firmware-brcm80211,locales
debootstrap --arch=arm64 --components=main,non-free-firmware --include="$PKGS" "$SUITE" "$ROOTFS" "$MIRROR"

# 2. The service user and its groups (serial, GPIO, audio).
chroot "$ROOTFS" /bin/sh -c 'getent group gpio >/dev/null || groupadd --system gpio;
  getent passwd callbox >/dev/null || useradd --system --home-dir /var/lib/callbox --shell /usr/sbin/nologin --groups dialout,gpio,audio callbox'

# 3. The release: /opt/callbox/releases/<version>, current -> it, the launcher copy in bin/.
install -d -m 0755 "$ROOTFS/opt/callbox/releases" "$ROOTFS/opt/callbox/bin" "$ROOTFS/opt/callbox/ota"
cp -a "$RELEASE" "$ROOTFS/opt/callbox/releases/$VERSION"
ln -sfn "releases/$VERSION" "$ROOTFS/opt/callbox/current"
install -m 0755 "$RELEASE/callbox" "$ROOTFS/opt/callbox/bin/callbox"
install -m 0644 "$RELEASE/ota-key.pub.pem" "$ROOTFS/opt/callbox/bin/ota-key.pub.pem"
install -m 0755 "$HERE/gadget/callbox-gadget.sh" "$ROOTFS/opt/callbox/bin/callbox-gadget.sh"
install -d -m 0750 "$ROOTFS/var/lib/callbox" "$ROOTFS/var/lib/callbox/logs"
chroot "$ROOTFS" chown -R callbox:callbox /opt/callbox /var/lib/callbox

# 4. systemd units, udev rules, logrotate; NetworkManager keyfiles the provisioning agent writes.
install -m 0644 "$HERE/systemd/callbox.service" "$HERE/systemd/callbox-gadget.service" "$ROOTFS/etc/systemd/system/"
install -m 0644 "$HERE"/udev/*.rules "$ROOTFS/etc/udev/rules.d/"
install -m 0644 "$HERE/logrotate/callbox" "$ROOTFS/etc/logrotate.d/callbox"
install -d -m 0770 "$ROOTFS/etc/NetworkManager/system-connections"
chroot "$ROOTFS" chgrp callbox /etc/NetworkManager/system-connections
# nmcli connection reload/up for the callbox user (Improv Wi-Fi, network.set apply)
install -d "$ROOTFS/etc/polkit-1/rules.d"
cat >"$ROOTFS/etc/polkit-1/rules.d/50-callbox-network.rules" <<'RULES'
polkit.addRule(function (action, subject) {
  if (action.id.indexOf("org.freedesktop.NetworkManager.") === 0 && subject.user === "callbox") return polkit.Result.YES;
});
RULES
systemctl --root="$ROOTFS" enable callbox.service callbox-gadget.service NetworkManager.service ssh.service
echo "libcomposite" >"$ROOTFS/etc/modules-load.d/callbox-gadget.conf"

# 5. Pi boot config: the USB-C port as a device (the provisioning gadget), the HAT's I2S audio.
if [ -d "$ROOTFS/boot/firmware" ]; then
  cat >>"$ROOTFS/boot/firmware/config.txt" <<'CFG'
# callbox: USB-C as a peripheral (CDC-ACM provisioning gadget)
dtoverlay=dwc2,dr_mode=peripheral
CFG
fi
echo callbox >"$ROOTFS/etc/hostname"
printf 'LABEL=CBROOT / ext4 defaults,noatime 0 1\nLABEL=CBBOOT /boot/firmware vfat defaults 0 2\n' >"$ROOTFS/etc/fstab"
echo "rootfs ready: $ROOTFS (callbox $VERSION)"

[ -z "$SDCARD" ] || "$HERE/rootfs/make-sdcard.sh" "$ROOTFS" "$SDCARD"
