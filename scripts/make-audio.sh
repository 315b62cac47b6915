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

# prompt name | zh-CN | en
while IFS='|' read -r name zh en; do
  [ -n "$name" ] || continue
  say cmn 150 "firmware/prompts/zh-CN/$name.wav" "$zh"
  say en-us 160 "firmware/prompts/en/$name.wav" "$en"
done <<'PROMPTS'
welcome|您好，欢迎致电。人工服务请按1。|Welcome. For customer service, press 1.
consent|为了提高服务质量，您的通话可能会被录音。|This call may be recorded for quality purposes.
closed|您好，现在是非工作时间。我们的工作时间是周一到周五，上午九点到下午六点。请在工作时间再来电，谢谢。|Hello, we are closed now. Our hours are Monday to Friday, nine to six. Please call again during business hours. Thank you.
invalid|输入有误，请重新输入。|Sorry, that is not a valid choice.
no-input|抱歉，我们没有收到您的按键。|Sorry, we did not receive your choice.
language|普通话请按1。For English, press 2.|For Mandarin, press 1. For English, press 2.
queue-position-before|您前面还有|You are number
queue-position-after|位客户在等待。|in the queue.
queue-wait-before|预计等待时间约|Your estimated wait is about
queue-wait-after|分钟。|minutes.
queue-all-busy|坐席正忙，请您耐心等待。|All our agents are busy. Please hold.
queue-breakout|如需回电，请按1。|To be called back, press 1.
survey|请对本次服务进行评价：非常满意请按5，满意请按4，一般请按3，不满意请按2，非常不满意请按1。|Please rate our service from 1 to 5, where 5 is very satisfied.
survey-thanks|感谢您的评价，再见。|Thank you for your feedback. Goodbye.
goodbye|感谢您的来电，再见。|Thank you for calling. Goodbye.
callback-confirm|好的，坐席空闲时我们会给您回电，您的排队位置会为您保留。再见。|All right. We will call you back when an agent is free, and keep your place in the queue. Goodbye.
callback-booked|好的，已为您预约回电，坐席空闲时会按顺序给您回电。再见。|All right, your callback is booked. An agent will call you back in turn as soon as one is free. Goodbye.
fc-disposition|已记录通话小结。|Call result saved.
callback-intro|您好，这里是您预约的回电，接通人工请按1。|Hello, this is the callback you asked for. To talk to an agent now, press 1.
mobile-whisper|老板您好，这是店里排队转来的来电，接听请按1。|Call from the shop queue. To take it, press 1.
fc-logged-in|已登录。|Logged in.
fc-logged-out|已退出。|Logged out.
fc-paused|已暂停接听。|Paused.
fc-available|已恢复接听。|Available.
fc-unknown|无效的功能码。|Unknown feature code.
fc-parked|来电已停泊，停泊号|Call parked in slot
voicemail-greeting|您好，现在无法接听您的电话，请在提示音后留言，按井号键结束。|Sorry, we cannot take your call now. Please leave a message after the tone, and press hash when you are done.
voicemail-saved|已收到您的留言，谢谢。|Your message has been saved. Thank you.
enter-order-number|请输入您的订单号，以井号键结束。|Please enter your order number, followed by the hash key.
enter-code|请输入产品包装上的防伪码，以井号键结束。|Please enter the authenticity code on the package, followed by the hash key.
order-number|您查询的订单号是|Order number
order-new|订单已提交，正在等待付款。|has been placed and is waiting for payment.
order-paid|订单已付款，正在备货。|is paid and being prepared.
order-shipped|订单已发货。|has shipped.
order-delivered|订单已签收。|has been delivered.
order-returned|订单已退货。|has been returned.
order-cancelled|订单已取消。|has been cancelled.
carrier-is|快递公司是|The carrier is
carrier-sf|顺丰速运。|S F Express.
carrier-zto|中通快递。|Z T O Express.
carrier-yto|圆通速递。|Y T O Express.
carrier-sto|申通快递。|S T O Express.
carrier-yunda|韵达快递。|Yunda Express.
carrier-jd|京东物流。|J D Logistics.
carrier-ems|中国邮政 EMS。|China Post E M S.
carrier-jt|极兔速递。|J and T Express.
order-not-found|没有找到这个订单号。|Sorry, we could not find that order number.
code-genuine|您查询的是正品，这是该防伪码第一次被查询，感谢您的购买。|This product is genuine. This is the first check of this code. Thank you for your purchase.
code-checked-before|该防伪码是正品编码，但之前已被查询过|This code is genuine, but it has already been checked
code-times|次。|times before.
code-first-checked|首次查询时间是|It was first checked on
code-counterfeit-warning|如果不是您本人查询的，请注意可能是假冒产品。|If that was not you, the product may be counterfeit.
code-unknown|没有找到这个防伪码。|Sorry, this code is not in our records.
where-to-buy-none|购买渠道请咨询人工客服。|To find out where to buy, please ask our customer service.
lookup-options|重听请按1，人工服务请按0，结束请按9。|To hear this again, press 1. For an agent, press 0. To hang up, press 9.
lookup-unavailable|抱歉，暂时无法查询，正在为您转接人工服务。|Sorry, this service is not available now. We will connect you to an agent.
PROMPTS

# month names for dates read out (首次查询时间): zh 一月..十二月, en January..December
for m in $(seq 1 12); do
  say cmn 150 "firmware/prompts/zh-CN/month-$m.wav" "$(python3 -c "d='一二三四五六七八九十';m=$m;print((d[m-1] if m<=10 else '十'+d[m-11])+'月')")"
  say en-us 160 "firmware/prompts/en/month-$m.wav" "$(python3 -c "import calendar;print(calendar.month_name[$m])")"
done
say cmn 150 firmware/prompts/zh-CN/day-suffix.wav "日"   # 11月27日; English says "November 27"

# numbers for announcements: zh 一..二十, en one..twenty, then tens up to sixty
for n in $(seq 0 20) 30 40 50 60; do
  say cmn 150 "firmware/prompts/zh-CN/num-$n.wav" "$(python3 -c "
d='零一二三四五六七八九'
n=$n
print(d[n] if n<10 else ('十' if n<20 else d[n//10]+'十')+(d[n%10] if n%10 and n>=10 else ''))")"
  say en-us 160 "firmware/prompts/en/num-$n.wav" "$n"
done

# hold music: a calm synthesized arpeggio, 16 s, looped by the box
sox -q -n -r 8000 -c 1 -b 16 "$tmp/hold.wav" synth 0.5 pluck C4 synth 0.5 pluck E4 synth 0.5 pluck G4 synth 0.5 pluck C5 : \
  synth 0.5 pluck A3 synth 0.5 pluck C4 synth 0.5 pluck E4 synth 0.5 pluck A4 : \
  synth 0.5 pluck F3 synth 0.5 pluck A3 synth 0.5 pluck C4 synth 0.5 pluck F4 : \
  synth 0.5 pluck G3 synth 0.5 pluck B3 synth 0.5 pluck D4 synth 0.5 pluck G4 2>/dev/null || true
if [ -s "$tmp/hold.wav" ]; then
  sox -q "$tmp/hold.wav" firmware/prompts/music/hold.wav repeat 3 gain -n -12
else
  mkdir -p firmware/prompts/music
  sox -q -n -r 8000 -c 1 -b 16 firmware/prompts/music/hold.wav synth 16 sine 440 tremolo 2 60 gain -n -18
fi
echo "  firmware/prompts/music/hold.wav"
say cmn 160 hal/src/drivers/sim/voices/caller.wav "你好，我想问一下，我的订单什么时候发货？"
say cmn 170 hal/src/drivers/sim/voices/agent.wav "您好，很高兴为您服务，请问有什么可以帮您？"
