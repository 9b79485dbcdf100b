-- Issue 14, api/sales-report.md §2.4: a 30-day summary over a busy month must not sum every row. `sales_hourly`
-- holds per whole UTC hour the summary's figures of all rows, per product, per warehouse and per (product,
-- warehouse); the summary reads the whole hours of its range here and only the partial edge hours from `sales`.
-- Statement-level triggers keep it exact on every insert path (the event consumer, tests, a bulk
-- `INSERT … SELECT generate_series`), so no writer has to know about it.

-- No insert while the rollup is created and back-filled.
LOCK TABLE sales IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE sales_hourly (
    -- The grouping: 0 = per (product, warehouse), 1 = per product, 2 = per warehouse, 3 = all rows; the
    -- value is SQL's GROUPING(product_id, warehouse_id). A column not grouped on holds the nil UUID, and the
    -- level keeps a real product or warehouse with the nil id apart from "all".
    level        smallint    NOT NULL CHECK (level BETWEEN 0 AND 3),
    product_id   uuid        NOT NULL,
    warehouse_id uuid        NOT NULL,
    -- A whole UTC hour; the rows of `sales` with `sold_at` in [hour, hour + 1 hour).
    hour         timestamptz NOT NULL CHECK (date_trunc('hour', hour, 'UTC') = hour),
    revenue      numeric     NOT NULL,
    quantity     bigint      NOT NULL,
    margin       numeric     NOT NULL,
    -- Distinct `order_id` of the `sale` rows (`reversals`: of the `reversal` rows) of this hour and group.
    orders       bigint      NOT NULL,
    reversals    bigint      NOT NULL,
    lines        bigint      NOT NULL,
    PRIMARY KEY (level, product_id, warehouse_id, hour),
    CONSTRAINT sales_hourly_all_products_check
        CHECK (level & 2 = 0 OR product_id = '00000000-0000-0000-0000-000000000000'),
    CONSTRAINT sales_hourly_all_warehouses_check
        CHECK (level & 1 = 0 OR warehouse_id = '00000000-0000-0000-0000-000000000000')
);

-- Orders whose rows of one kind lie in more than one hour (a second event for the order with another time).
-- `sales_hourly` counts such an order once in each of its hours; the summary subtracts the surplus from the
-- rows of these orders. Normally empty: all rows of one event share `sold_at`.
CREATE TABLE sales_split_orders (
    order_id uuid NOT NULL,
    kind     text NOT NULL,
    PRIMARY KEY (order_id, kind)
);

-- Adds the rows of one INSERT statement (transition table `sales_added`). An order is counted in an hour
-- and group only when it had no row of the same kind there before this statement.
CREATE FUNCTION sales_hourly_add() RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    IF NOT EXISTS (SELECT FROM sales_added) THEN
        RETURN NULL;
    END IF;
    -- Writers of `sales` serialise here until they commit, and the next statement takes a fresh snapshot,
    -- so "before" includes every committed row. Readers of the rollup are not held up.
    PERFORM pg_advisory_xact_lock('sales_hourly'::regclass::oid::bigint);
    -- Dynamic SQL is planned for each statement with the real size of `sales_added`: a plan cached for a
    -- one-row event would not suit a million-row bulk insert.
    EXECUTE $sql$
    WITH added AS MATERIALIZED (
        SELECT id, order_id, kind, product_id, warehouse_id, revenue, product_quantity, margin_total,
               date_trunc('hour', sold_at, 'UTC') AS hour
        FROM sales_added
    ),
    touched AS MATERIALIZED (
        SELECT order_id, kind, min(hour) AS first_hour, max(hour) AS last_hour
        FROM added GROUP BY order_id, kind
    ),
    -- The rows of the same orders and kinds written by earlier statements.
    earlier AS MATERIALIZED (
        SELECT s.order_id, s.kind, s.product_id, s.warehouse_id, date_trunc('hour', s.sold_at, 'UTC') AS hour
        FROM sales s
        JOIN touched t ON t.order_id = s.order_id AND t.kind = s.kind
        WHERE NOT EXISTS (SELECT 1 FROM added a WHERE a.id = s.id)
    ),
    split AS (
        INSERT INTO sales_split_orders (order_id, kind)
        SELECT order_id, kind FROM touched WHERE first_hour <> last_hour
        UNION
        SELECT t.order_id, t.kind FROM touched t JOIN earlier e USING (order_id, kind)
        WHERE e.hour <> t.first_hour OR e.hour <> t.last_hour
        ON CONFLICT DO NOTHING
    ),
    -- Per added row: is its order new to the hour, to its product in the hour, to its warehouse in the hour?
    flagged AS (
        SELECT a.hour, a.kind, a.order_id, a.product_id, a.warehouse_id, h.order_id IS NULL AS new_in_hour,
               p.order_id IS NULL AS new_in_product, w.order_id IS NULL AS new_in_warehouse
        FROM added a
        LEFT JOIN (SELECT DISTINCT order_id, kind, hour FROM earlier) h
            ON h.order_id = a.order_id AND h.kind = a.kind AND h.hour = a.hour
        LEFT JOIN (SELECT DISTINCT order_id, kind, hour, product_id FROM earlier) p
            ON p.order_id = a.order_id AND p.kind = a.kind AND p.hour = a.hour AND p.product_id = a.product_id
        LEFT JOIN (SELECT DISTINCT order_id, kind, hour, warehouse_id FROM earlier) w
            ON w.order_id = a.order_id AND w.kind = a.kind AND w.hour = a.hour
               AND w.warehouse_id = a.warehouse_id
    ),
    -- The orders new to each hour and coarse group. On the finest level every added row is a new order:
    -- the unique key allows one row per (order, product, warehouse, kind) at all.
    new_orders AS (
        SELECT 3 AS level, '00000000-0000-0000-0000-000000000000'::uuid AS product_id,
               '00000000-0000-0000-0000-000000000000'::uuid AS warehouse_id, hour,
               count(DISTINCT order_id) FILTER (WHERE kind = 'sale') AS orders,
               count(DISTINCT order_id) FILTER (WHERE kind = 'reversal') AS reversals
        FROM flagged WHERE new_in_hour GROUP BY hour
        UNION ALL
        SELECT 1, product_id, '00000000-0000-0000-0000-000000000000', hour,
               count(DISTINCT order_id) FILTER (WHERE kind = 'sale'),
               count(DISTINCT order_id) FILTER (WHERE kind = 'reversal')
        FROM flagged WHERE new_in_product GROUP BY product_id, hour
        UNION ALL
        SELECT 2, '00000000-0000-0000-0000-000000000000', warehouse_id, hour,
               count(DISTINCT order_id) FILTER (WHERE kind = 'sale'),
               count(DISTINCT order_id) FILTER (WHERE kind = 'reversal')
        FROM flagged WHERE new_in_warehouse GROUP BY warehouse_id, hour
    ),
    sums AS (
        SELECT GROUPING(product_id, warehouse_id) AS level,
               COALESCE(product_id, '00000000-0000-0000-0000-000000000000') AS product_id,
               COALESCE(warehouse_id, '00000000-0000-0000-0000-000000000000') AS warehouse_id, hour,
               sum(revenue) AS revenue, sum(product_quantity) AS quantity, sum(margin_total) AS margin,
               count(*) FILTER (WHERE kind = 'sale') AS sale_lines,
               count(*) FILTER (WHERE kind = 'reversal') AS reversal_lines, count(*) AS lines
        FROM added
        GROUP BY GROUPING SETS ((hour), (hour, product_id), (hour, warehouse_id), (hour, product_id, warehouse_id))
    )
    INSERT INTO sales_hourly AS r (level, product_id, warehouse_id, hour, revenue, quantity, margin, orders,
                                   reversals, lines)
    SELECT s.level, s.product_id, s.warehouse_id, s.hour, s.revenue, s.quantity, s.margin,
           CASE WHEN s.level = 0 THEN s.sale_lines ELSE COALESCE(o.orders, 0) END,
           CASE WHEN s.level = 0 THEN s.reversal_lines ELSE COALESCE(o.reversals, 0) END, s.lines
    FROM sums s
    LEFT JOIN new_orders o USING (level, product_id, warehouse_id, hour)
    ON CONFLICT (level, product_id, warehouse_id, hour) DO UPDATE SET
        revenue = r.revenue + EXCLUDED.revenue,
        quantity = r.quantity + EXCLUDED.quantity,
        margin = r.margin + EXCLUDED.margin,
        orders = r.orders + EXCLUDED.orders,
        reversals = r.reversals + EXCLUDED.reversals,
        lines = r.lines + EXCLUDED.lines
    $sql$;
    RETURN NULL;
END
$function$;

CREATE TRIGGER sales_hourly_add AFTER INSERT ON sales
    REFERENCING NEW TABLE AS sales_added
    FOR EACH STATEMENT EXECUTE FUNCTION sales_hourly_add();

-- Sales rows are append-only (a reversal row nets a sale out, §4); an UPDATE of a figure the rollup holds,
-- or a DELETE, would leave it wrong, so both are refused. TRUNCATE empties the rollup with the table.
CREATE FUNCTION sales_append_only() RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    RAISE EXCEPTION 'sales rows are append-only: % would leave sales_hourly wrong', TG_OP
        USING HINT = 'record a reversal row instead';
END
$function$;

CREATE TRIGGER sales_append_only
    BEFORE DELETE OR UPDATE OF order_id, product_id, warehouse_id, kind, product_quantity, price,
        margin_per_product, sold_at ON sales
    FOR EACH STATEMENT EXECUTE FUNCTION sales_append_only();

CREATE FUNCTION sales_hourly_clear() RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    TRUNCATE sales_hourly, sales_split_orders;
    RETURN NULL;
END
$function$;

CREATE TRIGGER sales_hourly_clear AFTER TRUNCATE ON sales
    FOR EACH STATEMENT EXECUTE FUNCTION sales_hourly_clear();

-- Back-fill from the rows already there (none on a fresh database).
INSERT INTO sales_hourly (level, product_id, warehouse_id, hour, revenue, quantity, margin, orders, reversals,
                          lines)
SELECT GROUPING(product_id, warehouse_id),
       COALESCE(product_id, '00000000-0000-0000-0000-000000000000'),
       COALESCE(warehouse_id, '00000000-0000-0000-0000-000000000000'),
       hour, sum(revenue), sum(product_quantity), sum(margin_total),
       count(DISTINCT order_id) FILTER (WHERE kind = 'sale'),
       count(DISTINCT order_id) FILTER (WHERE kind = 'reversal'), count(*)
FROM (SELECT *, date_trunc('hour', sold_at, 'UTC') AS hour FROM sales) s
GROUP BY GROUPING SETS ((hour), (hour, product_id), (hour, warehouse_id), (hour, product_id, warehouse_id));

INSERT INTO sales_split_orders (order_id, kind)
SELECT order_id, kind FROM sales
GROUP BY order_id, kind
HAVING min(date_trunc('hour', sold_at, 'UTC')) <> max(date_trunc('hour', sold_at, 'UTC'));
