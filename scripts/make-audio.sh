#!/usr/bin/env bash
# Generates the shipped voice prompts (zh-CN and en) and the simulated callers' and agents' speech
# with espeak-ng, converted by sox to 8 kHz 16-bit mono WAV. The results are committed so a plain
# `npm ci` runs the box; rerun (`make audio`) after changing a text. Recorded files may replace them.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "make-audio: $tool is missing (apt-get install espeak-ng sox)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() { # voice speed out text
  local voice=$1 speed=$2 out=$3 text=$4
  mkdir -p "$(dirname "$out")"
  espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" "$text"
  sox -q "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out" norm -6
  echo "  $out"
}

say cmn 150 firmware/prompts/zh-CN/welcome.wav "您好，欢迎致电。人工服务请按1。"
say en-us 160 firmware/prompts/en/welcome.wav "Welcome. For customer service, press 1."
say cmn 160 hal/src/drivers/sim/voices/caller.wav "你好，我想问一下，我的订单什么时候发货？"
say cmn 170 hal/src/drivers/sim/voices/agent.wav "您好，很高兴为您服务，请问有什么可以帮您？"
