/** The customers area: built from the shared back-office deps; listens to the call engine for caller IDs. */
import { normalizePhone } from '../common/phone.js';
import type { BackOfficeDeps } from '../common/deps.js';
import type { Actor } from '../common/types.js';
import { CallerIdCustomers } from './caller-id.js';
import { exportCustomersCsv, importCustomersCsv } from './csv-io.js';
import { erase, personalData } from './privacy.js';
import { ScreenPopReader } from './screen-pop.js';
import { CustomersCore } from './service.js';
import type { CustomersService, ScreenPopQuery } from './types.js';

export function createCustomers(deps: BackOfficeDeps): CustomersService {
  const core = new CustomersCore(deps);
  const pops = new ScreenPopReader(core);
  new CallerIdCustomers(deps, core).attach();
  return {
    create: (actor, input) => core.create(actor, input),
    get: (actor, id) => core.get(actor, id),
    update: (actor, id, patch) => core.update(actor, id, patch),
    search: (actor, q) => core.search(actor, q),
    byPhone: (actor, phone) => core.byPhone(actor, phone),
    ensureFromCallerId: (callerId, callerName) => core.ensureFromCallerId(callerId, callerName),
    ensureByPhone: (actor, phone, name, source) => core.ensureByPhone(actor, normalizePhone(phone), name, source).id,
    screenPop: (actor: Actor, q: ScreenPopQuery) => pops.pop(actor, q),
    queuePriority: (phone) => core.queuePriority(phone),
    importCsv: (actor, bytes) => importCustomersCsv(core, actor, bytes),
    exportCsv: (actor, q) => exportCustomersCsv(core, actor, q),
    personalData: (actor, id) => personalData(core, actor, id),
    erase: (actor, id, reason) => erase(core, actor, id, reason),
  };
}
