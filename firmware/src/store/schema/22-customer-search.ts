/**
 * Step 22: the customers list at a year's scale (firmware/src/backoffice/customers).
 *
 * - `customers_live`: customers not erased, newest change first (updated_at, then id), so the
 *   list's ORDER BY … LIMIT/OFFSET walks an index instead of sorting every row (rows with the
 *   same updated_at, e.g. an import, were sorted in a temp B-tree each time), and COUNT(*) of the
 *   live customers reads this index only.
 * - `customer_search`: one FTS5 trigram document per customer (rowid = customers.rowid): name,
 *   notes, tags and phone numbers, one per line. A search text of 3 characters or more finds its
 *   candidates here (substring match, case folded); the store still checks each candidate with
 *   the LIKE rules, so results are those of the LIKE scan. Kept by triggers on the three tables:
 *   nothing else writes it. Owned by the customers module; not a contract.
 */
const DOC = `coalesce(c.name, '') || char(10) || c.notes || char(10)
  || coalesce((SELECT group_concat(t.tag, char(10)) FROM customer_tags t WHERE t.customer_id = c.id), '') || char(10)
  || coalesce((SELECT group_concat(p.phone, char(10)) FROM customer_phones p WHERE p.customer_id = c.id), '')`;

/** Statements that rebuild the document of the customer whose id is `id` (an SQL expression). */
const refresh = (id: string): string => `
    DELETE FROM customer_search WHERE rowid = (SELECT rowid FROM customers WHERE id = ${id});
    INSERT INTO customer_search (rowid, doc) SELECT c.rowid, ${DOC} FROM customers c WHERE c.id = ${id};`;

export const STEP_CUSTOMER_SEARCH = `
  CREATE INDEX customers_live ON customers(updated_at DESC, id DESC) WHERE erased_at IS NULL;

  CREATE VIRTUAL TABLE customer_search USING fts5(doc, tokenize = 'trigram');
  INSERT INTO customer_search (rowid, doc) SELECT c.rowid, ${DOC} FROM customers c;

  CREATE TRIGGER customer_search_insert AFTER INSERT ON customers BEGIN${refresh('NEW.id')}
  END;
  CREATE TRIGGER customer_search_update AFTER UPDATE OF name, notes ON customers BEGIN${refresh('NEW.id')}
  END;
  CREATE TRIGGER customer_search_delete AFTER DELETE ON customers BEGIN
    DELETE FROM customer_search WHERE rowid = OLD.rowid;
  END;
  CREATE TRIGGER customer_search_tag_insert AFTER INSERT ON customer_tags BEGIN${refresh('NEW.customer_id')}
  END;
  CREATE TRIGGER customer_search_tag_delete AFTER DELETE ON customer_tags BEGIN${refresh('OLD.customer_id')}
  END;
  CREATE TRIGGER customer_search_tag_update AFTER UPDATE ON customer_tags BEGIN${refresh('OLD.customer_id')}${refresh('NEW.customer_id')}
  END;
  CREATE TRIGGER customer_search_phone_insert AFTER INSERT ON customer_phones BEGIN${refresh('NEW.customer_id')}
  END;
  CREATE TRIGGER customer_search_phone_delete AFTER DELETE ON customer_phones BEGIN${refresh('OLD.customer_id')}
  END;
  CREATE TRIGGER customer_search_phone_update AFTER UPDATE OF phone, customer_id ON customer_phones BEGIN${refresh('OLD.customer_id')}${refresh('NEW.customer_id')}
  END;
`;
