// The layers of DESIGN.md, enforced: imports point down only.
//   hal/ imports nothing of ours above it; firmware/ never imports web-ui/, provisioning/, images/;
//   web-ui/ reaches the firmware only through its service types and error class.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import t from 'tap';
import { ROOT } from '../helpers/box.js';

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|js|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
    found.push(relative(ROOT, resolve(file, '..', m[1] as string)));
  }
  return found;
}

const RULES: { layer: string; forbidden: RegExp; allowed?: RegExp }[] = [
  { layer: 'hal', forbidden: /^(firmware|web-ui|provisioning|images)\// },
  { layer: 'firmware', forbidden: /^(web-ui|provisioning|images)\// },
  {
    layer: 'web-ui',
    forbidden: /^(firmware|provisioning|images)\//,
    allowed: /^firmware\/src\/(service\/types|service\/permissions|errors)\.js$/,
  },
  {
    // provisioning/: the service types, the error class, the secret hashing, and the HAL's serial port
    layer: 'provisioning',
    forbidden: /^(firmware|web-ui|images|hal)\//,
    allowed: /^(firmware\/src\/(service\/types|service\/passwords|errors)|hal\/src\/serial(-node)?)\.js$/,
  },
];

for (const rule of RULES) {
  t.test(`${rule.layer}/ imports only what it may`, (t) => {
    const bad: string[] = [];
    let seen = 0;
    for (const f of files(join(ROOT, rule.layer))) {
      for (const target of imports(f)) {
        seen++;
        if (rule.forbidden.test(target) && !rule.allowed?.test(target)) bad.push(`${relative(ROOT, f)} -> ${target}`);
      }
    }
    t.ok(seen > 10, `${seen} relative imports checked`);
    t.same(bad, []);
    t.end();
  });
}
