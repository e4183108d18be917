-- Search pages are ordered by (lower(name), id) with a keyset cursor; this index serves the
-- order and the cursor, so a page reads a few index entries instead of sorting the table.
create index school_name_order_idx on school (lower(name), id);
create index network_name_order_idx on network (lower(name), id);
