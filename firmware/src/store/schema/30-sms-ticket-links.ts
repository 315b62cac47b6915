/**
 * Step 30: a ticket's link to a received SMS names the message's id in the inbox (`sms_received.id`,
 * what `GET /api/v1/sms/:id` opens), as a link to a sent one names `sms_messages.id`. Before, it
 * named the modem driver's id (`modem_id`: sender + time stamp + text hash, or a long message's
 * reference); those links are rewritten. A link whose message is not in the inbox (made before
 * step 29) is left as it was. Owned by firmware/src/sms (the rows) and backoffice/tickets (the links).
 */
export const STEP_SMS_TICKET_LINKS = `
  UPDATE ticket_links
    SET ref_id = (SELECT r.id FROM sms_received r WHERE r.modem_id = ticket_links.ref_id)
    WHERE kind = 'sms' AND ref_id IN (SELECT modem_id FROM sms_received);
`;
