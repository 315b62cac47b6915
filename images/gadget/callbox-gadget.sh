#!/bin/sh
# The USB gadget through configfs: one CDC-ACM function (/dev/ttyGS0 on the box, /dev/ttyACM0 on the
# technician's laptop, no driver needed on Linux, macOS or Windows 10+). Run by callbox-gadget.service.
#   callbox-gadget.sh start|stop|status
set -eu
G=/sys/kernel/config/usb_gadget/callbox

serial() {
  # the SoC serial (Pi), else the machine id: the laptop tells boxes apart by it
  if [ -r /sys/firmware/devicetree/base/serial-number ]; then tr -d '\0' </sys/firmware/devicetree/base/serial-number
  else head -c 16 /etc/machine-id; fi
}

start() {
  modprobe libcomposite 2>/dev/null || true
  [ -d /sys/kernel/config/usb_gadget ] || mount -t configfs none /sys/kernel/config
  if [ -d "$G" ] && [ -n "$(cat "$G/UDC" 2>/dev/null)" ]; then echo "gadget already bound"; return 0; fi
  mkdir -p "$G"
  echo 0x1d6b >"$G/idVendor"   # Linux Foundation
  echo 0x0104 >"$G/idProduct"  # Multifunction Composite Gadget
  echo 0x0100 >"$G/bcdDevice"
  echo 0x0200 >"$G/bcdUSB"
  mkdir -p "$G/strings/0x409"
  serial >"$G/strings/0x409/serialnumber"
  echo "callbox" >"$G/strings/0x409/manufacturer"
  echo "callbox provisioning port" >"$G/strings/0x409/product"
  mkdir -p "$G/configs/c.1/strings/0x409"
  echo "CDC ACM" >"$G/configs/c.1/strings/0x409/configuration"
  echo 250 >"$G/configs/c.1/MaxPower"
  mkdir -p "$G/functions/acm.usb0"
  [ -e "$G/configs/c.1/acm.usb0" ] || ln -s "$G/functions/acm.usb0" "$G/configs/c.1/"
  udc=$(ls /sys/class/udc | head -n 1)
  if [ -z "$udc" ]; then echo "no USB device controller (dtoverlay=dwc2,dr_mode=peripheral?)" >&2; exit 1; fi
  echo "$udc" >"$G/UDC"
  echo "gadget bound to $udc: /dev/ttyGS0"
}

stop() {
  [ -d "$G" ] || return 0
  echo "" >"$G/UDC" 2>/dev/null || true
  rm -f "$G/configs/c.1/acm.usb0"
  rmdir "$G/configs/c.1/strings/0x409" "$G/configs/c.1" "$G/functions/acm.usb0" "$G/strings/0x409" "$G" 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if [ -d "$G" ]; then echo "UDC=$(cat "$G/UDC")"; else echo "no gadget"; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 64 ;;
esac
