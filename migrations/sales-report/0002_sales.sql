-- api/sales-report.md §3: one row per sold order line and source warehouse, reversal rows that net a sale
-- out, and the admins' unit costs. Money is exact (numeric); revenue and margin totals are computed columns.
CREATE TABLE sales (
    id                 uuid          PRIMARY KEY,
    order_id           uuid          NOT NULL,
    user_id            uuid          NOT NULL,
    product_id         uuid          NOT NULL,
    warehouse_id       uuid          NOT NULL,
    order_item_id      uuid,
    product_name       text          NOT NULL DEFAULT '' CHECK (char_length(product_name) <= 255),
    sku                text          NOT NULL DEFAULT '',
    kind               text          NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'reversal')),
    product_quantity   integer       NOT NULL
        CHECK (product_quantity <> 0 AND ((kind = 'sale') = (product_quantity > 0))),
    price              numeric(12,2) NOT NULL CHECK (price >= 0),
    cost_price         numeric(12,2) CHECK (cost_price >= 0),
    margin_per_product numeric(12,2) NOT NULL,
    margin_source      text          NOT NULL CHECK (margin_source IN ('cost_table', 'default_rate')),
    margin_rate        numeric(5,4),
    revenue            numeric(14,2) GENERATED ALWAYS AS (price * product_quantity) STORED,
    margin_total       numeric(14,2) GENERATED ALWAYS AS (margin_per_product * product_quantity) STORED,
    sold_at            timestamptz   NOT NULL,
    recorded_at        timestamptz   NOT NULL DEFAULT now(),
    source_event_id    uuid          NOT NULL,
    CONSTRAINT sales_margin_rate_check CHECK ((margin_source = 'default_rate') = (margin_rate IS NOT NULL)),
    CONSTRAINT sales_cost_price_source_check CHECK ((margin_source = 'default_rate') = (cost_price IS NULL)),
    -- A line is recorded (and reversed) once, even when a second event with a new id names it again.
    CONSTRAINT sales_order_product_warehouse_key UNIQUE (order_id, product_id, warehouse_id, kind)
);

-- List order, date ranges, and the summary without a product or warehouse filter.
CREATE INDEX sales_sold_at_idx ON sales (sold_at DESC, id DESC);
-- Product filter (+ date range).
CREATE INDEX sales_product_sold_at_idx ON sales (product_id, sold_at DESC);
-- Warehouse filter (+ date range).
CREATE INDEX sales_warehouse_sold_at_idx ON sales (warehouse_id, sold_at DESC);

CREATE TABLE product_costs (
    product_id uuid          PRIMARY KEY,
    cost_price numeric(12,2) NOT NULL CHECK (cost_price >= 0),
    updated_at timestamptz   NOT NULL,
    updated_by uuid          NOT NULL
);
