// docs/asyncapi.yaml is generated from the TypeBox schemas the tests check messages with: it must be
// current. The YAML is read back with the yaml parser tap ships, so the file is valid YAML and says
// exactly what the schemas say.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { asyncApiDocument, asyncApiYaml, toYaml } from '../../../firmware/src/cloud/asyncapi.js';
import { ROOT } from '../../helpers/box.js';

const FILE = join(ROOT, 'docs/asyncapi.yaml');

t.test('docs/asyncapi.yaml is current', (t) => {
  if (process.env.UPDATE_ASYNCAPI) writeFileSync(FILE, asyncApiYaml());
  t.equal(readFileSync(FILE, 'utf8'), asyncApiYaml(), 'regenerate with UPDATE_ASYNCAPI=1');
  t.end();
});

t.test('every channel names its payload schema, and the schemas are there', (t) => {
  const doc = asyncApiDocument() as {
    asyncapi: string;
    channels: Record<string, { address: string }>;
    components: { schemas: Record<string, unknown> };
  };
  t.equal(doc.asyncapi, '3.0.0');
  t.ok(Object.values(doc.channels).every((c) => c.address.startsWith('cb/v1/{deviceId}/')));
  for (const s of [
    'Status',
    'ConfigDesired',
    'ConfigReported',
    'CommandRequest',
    'CommandReply',
    'RecordBatch',
    'RecordAck',
    'Telemetry',
  ]) {
    t.ok(doc.components.schemas[s], s);
  }
  t.end();
});

t.test('the YAML emitter round-trips JSON data', async (t) => {
  const { parse } = await import('yaml');
  const data = { a: 1, 'b/c': ['x', { y: null, z: [] }], e: {}, s: 'quote "me": yes', n: -1.5, t: true };
  t.same(parse(toYaml(data)), data);
  t.same(parse(readFileSync(FILE, 'utf8')), asyncApiDocument());
});
