/**
 * Who may do what: the permissions of each role. Routes check them (web-ui may import this file);
 * services use them where the data itself depends on the role (masked phone numbers).
 *
 * - owner: everything.
 * - supervisor: runs the floor: customers (full numbers), tickets, knowledge base, catalog, orders,
 *   follow-up lists, reports; not the shop's money (expenses, salaries, commission rules,
 *   settlements), not erasure of personal data, not the audit trail; listens to recordings but
 *   does not download them.
 * - agent: works calls: customers with masked numbers, tickets, reading the knowledge base and the
 *   catalog, taking orders, working follow-up items, seeing their own commission.
 * - technician: installs and repairs the box (setup pages); no customer or business data.
 * - live.read (wallboard) for owner, supervisor and agent; users.admin for the owner only.
 */
import type { Role } from './types.js';

export const PERMISSIONS = [
  'customers.read',
  'customers.write',
  /** See full phone numbers (others see 138****5678). */
  'customers.phones',
  'customers.import',
  'customers.export',
  /** Export or erase one customer's personal data on request (PIPL/GDPR). */
  'customers.erase',
  'tickets.read',
  'tickets.write',
  /** Add and edit ticket categories and their SLA. */
  'tickets.admin',
  'kb.read',
  'kb.write',
  'products.read',
  'products.write',
  'orders.read',
  'orders.write',
  /** The shop's money: expenses, salaries, commission rules, settlements, people approval. */
  'finance.read',
  'finance.write',
  /** One's own commission and settlement. */
  'finance.own',
  'followups.read',
  'followups.write',
  /** Take and work follow-up calls offered by the dialer. */
  'followups.work',
  'reports.read',
  /** Advertising schedule and spend, staff shifts. */
  'reports.admin',
  /** Authenticity code table import and the where-to-buy message. */
  'selfservice.admin',
  'audit.read',
  /** Download a backup of the box and restore one (owner). */
  'backup.admin',
  /** Quality assurance (质检): define scorecards (owner). */
  'qa.admin',
  /** Score recorded calls, see every review, the review queue and calibration (owner, supervisor). */
  'qa.score',
  /** See one's own reviews and comments (the agent linked to one's account). */
  'qa.own',
  /** List call recordings and listen to them in the browser (owner, supervisor). */
  'recordings.read',
  /** Download a recording's file (owner): evidence leaving the box. */
  'recordings.download',
  /** The live wallboard and event stream (queues, agents, lines, today's figures). */
  'live.read',
  /** Monitor live calls (listen, whisper, barge: 监听/耳语/强插), listen in from the browser, add to and drop from any call's conference (owner, supervisor). */
  'calls.monitor',
  /** Set a call's result (通话小结): agents their own calls, supervisor and owner any (agents.state). */
  'calls.disposition',
  /** Call control (hold, transfer, park, pickup, click-to-dial): agents their own calls and phone, supervisor and owner any call (agents.state). */
  'calls.control',
  /** Send text messages (短信) through the GSM modem and see the ones sent. */
  'sms.send',
  /** Change any agent's state (pause, available, log out). */
  'agents.state',
  /** Change one's own agent state (the agent console; the user's linked agent only). */
  'agents.own',
  /** Users and roles: create, disable, link to agents, reset passwords. */
  'users.admin',
  /** The box's setup: lines, IVR, queues, hours, prompts, cloud (setup pages). */
  'setup.admin',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

const SUPERVISOR: readonly Permission[] = PERMISSIONS.filter(
  (p) =>
    !p.startsWith('finance.') &&
    !['customers.erase', 'audit.read', 'users.admin', 'setup.admin', 'recordings.download', 'qa.admin'].includes(p),
);

const AGENT: readonly Permission[] = [
  'customers.read',
  'customers.write',
  'tickets.read',
  'tickets.write',
  'kb.read',
  'products.read',
  'orders.read',
  'orders.write',
  'finance.own',
  'followups.read',
  'followups.work',
  'live.read',
  'agents.own',
  'calls.control',
  'calls.disposition',
  'sms.send',
  'qa.own',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: PERMISSIONS,
  supervisor: [...SUPERVISOR, 'finance.own'],
  agent: AGENT,
  technician: ['setup.admin'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
